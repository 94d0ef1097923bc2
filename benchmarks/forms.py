"""Forms back at scale: a folder of returned single-unit .xlsx forms into one summary.

    python benchmarks/forms.py [--forms 2000] [--folder DIR]

It fills ``--forms`` copies of the 惠州 2020 input form (``rubriceng template``, styles,
validation and all) with generated units, once, into ``--folder`` (kept for the next
run), then times what ``rubriceng batch RUBRIC FOLDER -o summary.xlsx`` does, phase by
phase: reading the forms, scoring them together with traces, and writing the summary
workbook. It prints forms per second for each phase and end to end, and where the time
of reading one form goes (opening the zip and workbook, reading the sheet's cells). The
goal (issue 19) is at least 50 forms per second end to end on a 2-core machine.
"""

from __future__ import annotations

import argparse
import cProfile
import multiprocessing
import pstats
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import openpyxl  # noqa: E402

import rubriceng  # noqa: E402
from benchmarks.huizhou import generate  # noqa: E402
from rubriceng.cycle.intake import read_returns  # noqa: E402
from rubriceng.cycle.summary import write_summary  # noqa: E402
from rubriceng.language.paths import flatten  # noqa: E402
from rubriceng.outputs.spreadsheet import INPUTS_SHEET, read_inputs, write_template  # noqa: E402

REF = "cn.gd.huizhou/dept-overall@2020"


def _typed(value: Any) -> Any:
    """A value as a person types it into the form."""
    if isinstance(value, bool):
        return "是" if value else "否"
    return float(value) if isinstance(value, Decimal) else value


def _fill(job: tuple[Path, Path, int, dict[str, Any]]) -> None:
    template, folder, index, unit = job
    book = openpyxl.load_workbook(template)
    sheet = book[INPUTS_SHEET]
    sheet["C2"] = f"单位{index:05d}"
    flat = flatten(unit)
    for row in sheet.iter_rows(min_row=5):
        path = row[0].value
        if path in flat:
            row[2].value = _typed(flat[path])
    book.save(folder / f"单位{index:05d}.xlsx")


def make_forms(folder: Path, count: int) -> None:
    """``count`` filled forms in ``folder`` (kept: made once per count)."""
    done = folder / ".complete"
    if done.exists():
        return
    folder.mkdir(parents=True, exist_ok=True)
    rubric = rubriceng.default_registry().load(REF)
    template = folder / ".template.xlsx"
    write_template(rubric, template)
    units = generate(count, seed=19, edges=0.2)
    jobs = [(template, folder, index, unit) for index, unit in enumerate(units)]
    started = time.perf_counter()
    with multiprocessing.Pool(2) as pool:
        pool.map(_fill, jobs, chunksize=50)
    print(f"made {count} forms in {time.perf_counter() - started:.1f} s → {folder}")
    done.write_text("ok", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--forms", type=int, default=2000)
    parser.add_argument("--folder", type=Path)
    args = parser.parse_args()
    folder = args.folder or Path(tempfile.gettempdir()) / f"rubriceng-forms-{args.forms}"
    make_forms(folder, args.forms)
    rubric = rubriceng.default_registry().load(REF)

    started = time.perf_counter()
    intake = read_returns(rubric, [folder])
    read = time.perf_counter()
    batch = rubriceng.evaluate_many(rubric, intake.named(), trace=True, errors="collect")
    scored = time.perf_counter()
    with tempfile.TemporaryDirectory() as out:
        write_summary(rubric, intake.locate(batch), Path(out) / "summary.xlsx")
    written = time.perf_counter()

    count = len(intake.units)
    assert count == args.forms and not batch.failures, (count, len(batch.failures))
    print(f"{count} forms, {len(batch.results)} scored, on {multiprocessing.cpu_count()} cores")
    print(f"{'phase':<22}{'seconds':>9}{'forms/s':>10}")
    for name, seconds in (
        ("read the forms", read - started),
        ("score (with traces)", scored - read),
        ("write the summary", written - scored),
        ("end to end", written - started),
    ):
        print(f"{name:<22}{seconds:>9.2f}{count / seconds:>10.0f}")

    one = next(folder.glob("*.xlsx"))
    profile = cProfile.Profile()
    profile.enable()
    for _ in range(50):
        read_inputs(one)
    profile.disable()
    print("\nwhere reading one form goes (50 reads, cumulative seconds):")
    stats = pstats.Stats(profile)
    for label, needle in (
        ("open the zip and workbook", "load_workbook"),
        ("read the sheet's rows", "_cells_by_row"),
        ("all of read_inputs", "read_inputs"),
    ):
        total = sum(
            row[3]
            for key, row in stats.stats.items()  # type: ignore[attr-defined]
            if key[2] == needle
        )
        print(f"  {label:<28}{total:>7.3f}")


if __name__ == "__main__":
    main()
