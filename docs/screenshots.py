"""Render the bundled example's HTML report and Excel table as the PNGs the docs show.

    python docs/screenshots.py            # writes docs/images/report.png and xlsx.png

Needs headless Chromium for the report and LibreOffice (soffice) with pdftoppm for the
workbook — on Debian: ``apt-get install chromium libreoffice-calc-nogui poppler-utils
fonts-noto-cjk``. Nothing is fetched from the network: the report is one file.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import rubriceng
from rubriceng.outputs.text import write_result

ROOT = Path(__file__).resolve().parent.parent
IMAGES = ROOT / "docs" / "images"
EXAMPLE = ROOT / "examples" / "huizhou-2020-office.yaml"
RUBRIC = "cn.gd.huizhou/dept-overall@2020"
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
)


def chromium() -> str | None:
    """The Chromium (or Chrome) on this machine, if any."""
    names = ("chromium", "chromium-browser", "google-chrome", "chrome")
    return next((found for name in names if (found := shutil.which(name))), None)


def screenshot_html(page: Path, target: Path, size: tuple[int, int] = (1280, 1500)) -> Path:
    """Render ``page`` in headless Chromium and save a PNG of the window at ``target``."""
    browser = chromium()
    if browser is None:
        raise RuntimeError("no Chromium: apt-get install chromium")
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run(
            [
                browser,
                *CHROMIUM_FLAGS,
                f"--user-data-dir={profile}",
                f"--window-size={size[0]},{size[1]}",
                f"--screenshot={target}",
                page.as_uri(),
            ],
            check=True,
            capture_output=True,
            timeout=120,
        )
    return target


def screenshot_xlsx(workbook: Path, target: Path, page: int = 1) -> Path:
    """A printed page of ``workbook`` or a Word document (LibreOffice → PDF → PNG) at
    ``target``: the first, or ``page``."""
    office, pages = shutil.which("soffice"), shutil.which("pdftoppm")
    if office is None or pages is None:
        raise RuntimeError(
            "no LibreOffice or pdftoppm: apt-get install libreoffice-calc-nogui poppler-utils"
        )
    with tempfile.TemporaryDirectory() as work:
        subprocess.run(
            [office, "--headless", "--convert-to", "pdf", "--outdir", work, str(workbook)],
            check=True,
            capture_output=True,
            timeout=300,
        )
        pdf = Path(work) / f"{workbook.stem}.pdf"
        first_page = ["-png", "-r", "110", "-f", str(page), "-l", str(page), "-singlefile"]
        subprocess.run(
            [pages, *first_page, str(pdf), str(target.with_suffix(""))], check=True, timeout=120
        )
    return target


def main() -> int:
    rubric = rubriceng.find_rubric(RUBRIC)
    unit = rubriceng.load_inputs(EXAMPLE)
    result = rubriceng.evaluate(rubric, unit.inputs, unit=unit.unit)
    IMAGES.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as work:
        page, workbook = Path(work) / "report.html", Path(work) / "result.xlsx"
        write_result(result, page, rubric=rubric)
        write_result(result, workbook, rubric=rubric, inputs=unit.inputs)
        made = [screenshot_xlsx(workbook, IMAGES / "xlsx.png")]
        if chromium() is not None:
            made.append(screenshot_html(page, IMAGES / "report.png"))
        made += cycle(rubric, unit, Path(work))
        for path in made:
            print(f"wrote {path.relative_to(ROOT)}")
    return 0


def cycle(rubric: rubriceng.Rubric, unit: Any, work: Path) -> list[Path]:
    """The yearly cycle's pictures (docs/cycle.md): the summary of a generated batch
    (its ranking and its losses), the review of the example, the report draft."""
    sys.path.insert(0, str(ROOT))
    from benchmarks.huizhou import generate
    from rubriceng.cycle.review import load_changes, review, write_review
    from rubriceng.cycle.summary import write_summary

    units = {f"单位{index:02d}": inputs for index, inputs in enumerate(generate(24, seed=3))}
    units[unit.unit] = unit.inputs
    batch = rubriceng.evaluate_many(rubric, units, errors="collect")
    summary = work / "summary.xlsx"
    write_summary(rubric, batch, summary)
    reviewed = work / "reviewed.xlsx"
    found = review(
        rubric,
        unit.inputs,
        load_changes(ROOT / "examples/huizhou-2020-review.yaml"),
        unit=unit.unit,
    )
    write_review(found, reviewed)
    draft = work / "report.docx"
    result = rubriceng.evaluate(rubric, unit.inputs, unit=unit.unit)
    write_result(result, draft, rubric=rubric)
    return [
        screenshot_xlsx(summary, IMAGES / "summary-ranking.png", 1),
        screenshot_xlsx(summary, IMAGES / "summary-losses.png", 3),
        screenshot_xlsx(reviewed, IMAGES / "review.png", 2),
        screenshot_xlsx(draft, IMAGES / "report-docx.png", 1),
    ]


if __name__ == "__main__":
    sys.exit(main())
