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

import rubriceng
from rubriceng.render import write_result

ROOT = Path(__file__).resolve().parent.parent
IMAGES = ROOT / "docs" / "images"
EXAMPLE = ROOT / "examples" / "huizhou-2020-office.yaml"
RUBRIC = "cn.gd.huizhou/dept-overall@2020"
CHROMIUM_FLAGS = (
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--hide-scrollbars",
)  # fmt: skip


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
            [browser, *CHROMIUM_FLAGS, f"--user-data-dir={profile}",
             f"--window-size={size[0]},{size[1]}", f"--screenshot={target}", page.as_uri()],
            check=True, capture_output=True, timeout=120,
        )  # fmt: skip
    return target


def screenshot_xlsx(workbook: Path, target: Path) -> Path:
    """The first printed page of ``workbook`` (LibreOffice → PDF → PNG) at ``target``."""
    office, pages = shutil.which("soffice"), shutil.which("pdftoppm")
    if office is None or pages is None:
        raise RuntimeError("no LibreOffice or pdftoppm: apt-get install "
                           "libreoffice-calc-nogui poppler-utils")  # fmt: skip
    with tempfile.TemporaryDirectory() as work:
        subprocess.run([office, "--headless", "--convert-to", "pdf", "--outdir", work,
                        str(workbook)], check=True, capture_output=True, timeout=300)  # fmt: skip
        pdf = Path(work) / f"{workbook.stem}.pdf"
        first_page = ["-png", "-r", "110", "-f", "1", "-l", "1", "-singlefile"]
        subprocess.run([pages, *first_page, str(pdf), str(target.with_suffix(""))],
                       check=True, timeout=120)  # fmt: skip
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
        for made in (screenshot_html(page, IMAGES / "report.png"),
                     screenshot_xlsx(workbook, IMAGES / "xlsx.png")):  # fmt: skip
            print(f"wrote {made.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
