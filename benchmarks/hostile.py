"""How long rubriceng takes to refuse the worst case of each class of hostile file.

    python benchmarks/hostile.py

Each case is built here as an attacker would write it (a few hundred bytes to a few KB),
run once to warm up and then timed (wall clock, median of five); the table goes into
docs/security.md. Every case must end in a rubriceng error, never hang or crash.
"""

from __future__ import annotations

import decimal
import io
import os
import statistics
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import rubriceng
from rubriceng.host.registry import Registry
from rubriceng.language.documents import DocumentError, from_text
from rubriceng.outputs.spreadsheet import read_units

ROOT = Path(__file__).resolve().parent.parent
HUIZHOU = (
    ROOT / "plugins/rubriceng-gd-huizhou/src/rubriceng_gd_huizhou/rubrics/dept-overall-2020.yaml"
)
UNIT = ROOT / "examples/huizhou-2020-office.yaml"


def _nested_merges() -> str:
    lines = ["m0: &m0 {a: 1, b: 2}"]
    for level in range(1, 30):
        lines.append(f"m{level}: &m{level} {{<<: [{', '.join([f'*m{level - 1}'] * 9)}]}}")
    return "\n".join(lines) + "\n"


def _doubling_merges() -> str:
    lines = ["m0: &m0 {a: [1, 2, 3, 4, 5, 6, 7, 8]}"]
    for level in range(1, 30):
        lines.append(f"m{level}: &m{level} {{k{level}: *m{level - 1}, <<: *m{level - 1}}}")
    return "\n".join(lines) + "\n"


def _sheet_xlsx(rows: str) -> bytes:
    parts = {
        "[Content_Types].xml": '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats'
        '.org/package/2006/content-types"><Default Extension="rels" ContentType="application/'
        'vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType='
        '"application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd'
        '.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/'
        'worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.'
        'spreadsheetml.worksheet+xml"/></Types>',
        "_rels/.rels": '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats'
        '.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.'
        'openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/'
        'workbook.xml"/></Relationships>',
        "xl/workbook.xml": '<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.'
        'org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/'
        'officeDocument/2006/relationships"><sheets><sheet name="S" sheetId="1" r:id="rId1"/>'
        "</sheets></workbook>",
        "xl/_rels/workbook.xml.rels": '<?xml version="1.0"?><Relationships xmlns="http://schemas'
        '.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://'
        'schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target='
        '"worksheets/sheet1.xml"/></Relationships>',
        "xl/worksheets/sheet1.xml": '<?xml version="1.0"?><worksheet xmlns="http://schemas.'
        'openxmlformats.org/spreadsheetml/2006/main"><dimension ref="A1:XFD1048576"/>'
        f"<sheetData>{rows}</sheetData></worksheet>",
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts.items():
            archive.writestr(name, text)
    return buffer.getvalue()


def cases(folder: Path) -> dict[str, tuple[int, Callable[[], Any]]]:
    """Class name → (size of the hostile input in bytes, the call that must refuse it)."""
    found: dict[str, tuple[int, Callable[[], Any]]] = {}

    def text(name: str, body: str) -> None:
        found[name] = (len(body.encode()), lambda: from_text(body, "hostile.yaml"))

    text("1 merge keys: 30 levels × 9 merges of one anchor", _nested_merges())
    text("1 merge keys: self-merge", "a: &a {k: 1, <<: *a}\n")
    text("1 merge keys: a merge that doubles each level", _doubling_merges())
    many = {
        "id": "x",
        "version": "1",
        "title": "x",
        "total": 1,
        **{f"k{i}": i for i in range(4000)},
        "indicators": [{"id": "a", "name": "a", "points": 1, "score": "1"}],
    }
    found["2 problems: a rubric with 4,000 unknown keys"] = (
        len(str(many)),
        lambda: rubriceng.load_rubric(many),
    )
    header = ",".join(["unit", *[f"column{i}" for i in range(1999)]]) + "\n"
    csv_path = folder / "wide.csv"
    body = "".join(f"单位{n}," + ",".join(["1"] * 1999) + "\n" for n in range(5))
    csv_path.write_text(header + body, encoding="utf-8")
    rubric = rubriceng.load_rubric(HUIZHOU)

    def batch_wide() -> Any:
        rows = read_units(csv_path)
        return rubriceng.evaluate_many(rubric, [row.inputs for row in rows], errors="collect")

    found["2 problems: 5 units × 1,999 unknown columns (read and score)"] = (
        csv_path.stat().st_size,
        batch_wide,
    )
    variant = folder / "variant.yaml"
    variant.write_text('id: v\nversion: "2"\nextends: /dev/zero\n', encoding="utf-8")
    found["3 extends: /dev/zero"] = (variant.stat().st_size, lambda: rubriceng.load_rubric(variant))
    fifo = folder / "fifo.yaml"
    os.mkfifo(fifo)
    through = folder / "through.yaml"
    through.write_text('id: v\nversion: "2"\nextends: fifo.yaml\n', encoding="utf-8")
    found["3 extends: a FIFO in the folder"] = (
        through.stat().st_size,
        lambda: rubriceng.load_rubric(through),
    )
    far = folder / "far.xlsx"
    far.write_bytes(
        _sheet_xlsx('<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>')
    )
    found["4 tables: a cell at XFD1048576 (batch)"] = (far.stat().st_size, lambda: read_units(far))
    found["4 tables: a cell at XFD1048576 (load_inputs)"] = (
        far.stat().st_size,
        lambda: rubriceng.load_inputs(far),
    )
    power = rubriceng.load_rubric(
        {
            "id": "p",
            "version": "1",
            "title": "p",
            "total": 10,
            "inputs": {"a": {"type": "number"}, "b": {"type": "number"}},
            "indicators": [
                {"id": "x", "name": "x", "points": 10, "score": "min(10, (a - b) ** -1)"}
            ],
        }
    )
    found["5 non-finite: min(10, (a - b) ** -1) with a = b"] = (
        30,
        lambda: rubriceng.evaluate(power, {"a": 1, "b": 1}),
    )
    calls = ", ".join(["sum(l)", "mean(l)", "max(l)", "min(l)", "count(l)"] * 12)
    costly = {
        "id": "c",
        "version": "1",
        "title": "c",
        "total": 40,
        "inputs": {"l": {"type": "list", "items": "number"}},
        "indicators": [
            {"id": f"i{i}", "name": f"i{i}", "points": 1, "score": f"min(1, max({calls}))"}
            for i in range(40)
        ],
    }
    found["10 work: 40 formulas of 60 calls over 10,000-item lists"] = (
        len(str(costly)),
        lambda: rubriceng.load_rubric(costly),
    )
    bad = folder / "rubrics"
    bad.mkdir()
    (bad / "bad.yaml").write_text(
        'id: b\nversion: "1"\ntitle: b\ntotal: 1\nin_force: {from: 99999999999999999999}\n'
        "indicators: [{id: a, name: a, points: 1, score: '1'}]\n",
        encoding="utf-8",
    )
    found["9 one bad file among the rubrics (reported alone)"] = (
        (bad / "bad.yaml").stat().st_size,
        lambda: Registry(entry_points=False, search_path=[bad]),
    )
    return found


def main() -> int:
    rows = []
    with tempfile.TemporaryDirectory() as scratch:
        for name, (size, call) in cases(Path(scratch)).items():
            times = []
            for _ in range(6):
                start = time.perf_counter()
                try:
                    with decimal.localcontext():
                        answer = call()
                    failures = getattr(answer, "failures", None)
                    outcome = "read" if failures is None else f"{len(failures)} reported"
                except (rubriceng.RubricengError, DocumentError) as error:
                    outcome = getattr(error, "problems", [None])[0].code  # type: ignore[union-attr]
                times.append(time.perf_counter() - start)
            rows.append((name, size, statistics.median(times[1:]) * 1000, outcome))
    print(f"{'class and case':<66} {'bytes':>7} {'ms':>8}  outcome")
    for name, size, ms, outcome in rows:
        print(f"{name:<66} {size:>7} {ms:>8.1f}  {outcome}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
