"""The plugin tutorial (docs/plugins.md) works as written, from top to bottom.

The page is followed as a reader would, in a fresh directory:

- ```console blocks: each ``$`` command runs; ``rubriceng`` and ``pytest`` must print the
  lines under it (``...`` stands for any lines, ``…`` for any text within a line, and the
  working directory is shown as ``…``); ``pip install`` installs the named directories
  (editable, into a private site directory); setting up a virtual environment is skipped;
- a block whose first line is ``# <path>`` is a file the reader writes; with
  ``# <path> (excerpt)`` it is text the file must already hold, verbatim;
- a ```diff block is an edit the reader makes; ``<!-- tutorial: revert -->`` undoes the
  last one, as the page's words ask.
"""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT
from tests.test_docs import _matches

PAGE = ROOT / "docs" / "plugins.md"
STEP = re.compile(r"^```(\w*)\n(.*?)^```$|^<!-- tutorial: (\w+) -->$", re.MULTILINE | re.DOTALL)
FILE = re.compile(r"^# (\S+)( \(excerpt\))?$")
# Runs a module with a site directory added the way site-packages is (so the editable
# install's .pth file is read): python LAUNCHER SITE MODULE ARGS...
LAUNCHER = (
    "import runpy, site, sys\n"
    "site.addsitedir(sys.argv.pop(1))\n"
    "runpy.run_module(sys.argv.pop(1), run_name='__main__', alter_sys=True)\n"
)


class Reader:
    """Someone following the tutorial in ``home``."""

    def __init__(self, home: Path) -> None:
        self.home = home
        self.site = home.parent / "site"
        self.launcher = home.parent / "launch.py"
        self.launcher.write_text(LAUNCHER, encoding="utf-8")
        self.edits: list[list[tuple[Path, str, str]]] = []  # one list per diff block
        self.ran: list[str] = []

    def follow(self, text: str) -> None:
        for match in STEP.finditer(text):
            language, body, action = match.groups()
            if action == "revert":
                for path, old, new in reversed(self.edits.pop()):
                    self._replace(path, new, old)
            elif language == "console":
                self.console(body)
            elif language == "diff":
                self.diff(body)
            elif body and FILE.match(body.splitlines()[0]):
                self.file(body)

    def file(self, body: str) -> None:
        name, excerpt = FILE.match(body.splitlines()[0]).groups()  # type: ignore[union-attr]
        path = self.home / name
        if excerpt:
            shown = body.split("\n", 1)[1]
            assert shown in path.read_text(encoding="utf-8"), f"{name} does not hold:\n{shown}"
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(body, encoding="utf-8")

    def diff(self, body: str) -> None:
        lines = body.splitlines()
        (target,) = [line[4:] for line in lines if line.startswith("+++ ")]
        path = self.home / target
        hunks = "\n".join(lines).split("\n@@")[1:]
        self.edits.append([])
        for hunk in hunks:
            old, new = [], []
            for line in hunk.splitlines()[1:]:
                if line[:1] in (" ", "-"):
                    old.append(line[1:])
                if line[:1] in (" ", "+"):
                    new.append(line[1:])
            self._replace(path, "\n".join(old) + "\n", "\n".join(new) + "\n")
            self.edits[-1].append((path, "\n".join(old) + "\n", "\n".join(new) + "\n"))

    @staticmethod
    def _replace(path: Path, old: str, new: str) -> None:
        text = path.read_text(encoding="utf-8")
        assert text.count(old) == 1, f"{path.name} does not hold exactly once:\n{old}"
        path.write_text(text.replace(old, new), encoding="utf-8")

    def console(self, body: str) -> None:
        command, expected = None, []
        for line in [*body.splitlines(), "$ "]:
            if not line.startswith("$ "):
                expected.append(line)
                continue
            if command is not None:
                self.run(command, expected)
            command, expected = line[2:], []

    def run(self, command: str, expected: list[str]) -> None:
        words = shlex.split(command, comments=True)
        if not words or words[:3] == ["python3", "-m", "venv"]:
            return  # the reader's own environment: this test already has one
        self.ran.append(command)
        if words[:2] == ["pip", "install"]:
            for target in words[2:]:
                if (self.home / target).is_dir():
                    self._python(
                        "pip",
                        "install",
                        "-q",
                        "--no-deps",
                        "--no-build-isolation",
                        "--target",
                        str(self.site),
                        "-e",
                        target,
                    )
            return
        assert words[0] in ("rubriceng", "pytest"), f"the tutorial runs {command!r}"
        got = self._python(words[0], *words[1:], check=False)
        got = got.replace(str(self.home), "…")
        assert _matches(expected, got.splitlines()), (
            f"$ {command}\nprinted:\n{got}\nthe page says:\n" + "\n".join(expected)
        )

    def _python(self, module: str, *arguments: str, check: bool = True) -> str:
        done = subprocess.run(
            [sys.executable, str(self.launcher), str(self.site), module, *arguments],
            cwd=self.home,
            capture_output=True,
            text=True,
            check=False,
            env={
                "PATH": "/usr/bin:/bin",
                "HOME": str(self.home),
                "PYTHONUTF8": "1",
                "COLUMNS": "200",
                "NO_COLOR": "1",
                "PIP_DISABLE_PIP_VERSION_CHECK": "1",
                "PIP_NO_INPUT": "1",
            },
        )
        if check:
            assert done.returncode == 0, done.stdout + done.stderr
        return done.stdout + done.stderr


def test_the_plugin_tutorial_works_as_written(tmp_path):
    home = tmp_path / "work"
    home.mkdir()
    reader = Reader(home)
    reader.follow(PAGE.read_text(encoding="utf-8"))
    assert len(reader.ran) >= 10, reader.ran
