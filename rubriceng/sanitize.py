"""What goes out is text, never a live formula or a terminal control sequence.

Unit names, judgement reasons, rubric texts and input values come from outside, and
they reach workbooks, CSV files, Markdown, HTML and the terminal. This module is the one
place that makes them safe for each:

- :func:`printable` shows a control character (C0 but tab and newline, DEL, C1 — ESC,
  BEL, …) as a visible escape ``\\x1b``, so it can neither move a terminal's cursor nor
  make openpyxl refuse the workbook (``IllegalCharacterError``); and so the bidirectional
  overrides and isolates (U+202A–U+202E, U+2066–U+2069), which would show a unit's name
  or a reason in another order than it is written, and the line and paragraph separators
  (U+2028, U+2029) as ``\\u202e``;
- :func:`csv_cell` also puts ``'`` before text that a spreadsheet program would take as a
  formula (``=``, ``+``, ``-``, ``@``, tab, CR), as the usual CSV-injection guidance says;
- :func:`harden_workbook` makes every text cell of a workbook a text cell (a value that
  starts with ``=`` is never written as a formula) with the quote prefix Excel itself
  sets for text that looks like a formula;
- :func:`markdown_text` also escapes ``<``, ``>``, ``&`` and ``|``;
- :func:`replacing` has an output file written beside its path and put in place whole, so
  that a failure part way never leaves a half-written file.
"""

from __future__ import annotations

import contextlib
import os
import re
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Any

_CONTROL = re.compile(
    "[\x00-\x08\x0b-\x0c\x0e-\x1f\x7f-\x9f"  # C0 but tab and newline, DEL, C1
    "\u2028\u2029\u202a-\u202e\u2066-\u2069"  # line breaks and bidirectional controls
    "\ud800-\udfff\ufffe\uffff]"  # what no XML file may hold: surrogates, U+FFFE, U+FFFF
)
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""How text that a spreadsheet program would run as a formula starts."""


def display_width(text: str) -> int:
    """Columns ``text`` takes in a terminal: wide (CJK) characters take two."""
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def printable(text: str) -> str:
    """``text`` with each control character (but tab and newline) as a visible escape.

    >>> printable("惠州\\x1b[31m单位\\x07")
    '惠州\\\\x1b[31m单位\\\\x07'
    >>> printable("单位\\u202e甲乙"), printable("单位\\ufffe")
    ('单位\\\\u202e甲乙', '单位\\\\ufffe')
    """
    return _CONTROL.sub(_escape, text)


def _escape(found: re.Match[str]) -> str:
    code = ord(found.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def looks_like_formula(text: str) -> bool:
    """True for text a spreadsheet program would take as a formula."""
    return text.startswith(FORMULA_STARTS)


_PLAIN_NUMBER = re.compile(r"-?\d+(?:\.\d+)?")
"""A negative number as rubriceng writes one (a deduction, ``-0.50``): a spreadsheet reads
it as the number it is, never as a formula."""


def csv_cell(value: Any) -> Any:
    """A CSV cell: text made printable, and quoted with ``'`` if it looks like a formula
    (but not a plain negative number); numbers as they are.

    >>> [csv_cell(v) for v in ("=HYPERLINK(1)", "-2 分", "-2+3", "-0.50", "惠州", 3)]
    ["'=HYPERLINK(1)", "'-2 分", "'-2+3", '-0.50', '惠州', 3]
    """
    if not isinstance(value, str):
        return value
    text = printable(value)
    if looks_like_formula(text) and not _PLAIN_NUMBER.fullmatch(text):
        return "'" + text
    return text


def csv_text(cell: str) -> str:
    """A CSV cell's text as :func:`csv_cell` was given it: the ``'`` it put before text
    that looks like a formula taken off (a unit named ``=甲`` reads back as ``=甲``).

    >>> csv_text("'=HYPERLINK(1)"), csv_text("'-2 分"), csv_text("'惠州"), csv_text("-0.5")
    ('=HYPERLINK(1)', '-2 分', "'惠州", '-0.5')
    """
    if cell.startswith("'") and looks_like_formula(cell[1:]):
        return cell[1:]
    return cell


def harden_workbook(book: Any) -> None:
    """Every text cell of ``book`` printable and stored as text, never as a formula; every
    data validation's title and message printable and within Excel's lengths (a label with
    a control character made openpyxl fail half-way through writing the file)."""
    for sheet in book.worksheets:
        for check in sheet.data_validations.dataValidation:
            for name, limit in _VALIDATION_TEXTS:
                value = getattr(check, name, None)
                if isinstance(value, str):
                    setattr(check, name, printable(value)[:limit])
        for row in sheet.iter_rows():
            for cell in row:
                value = cell.value
                if not isinstance(value, str):
                    continue
                text = printable(value)
                if text != value:
                    cell.value = text
                if cell.data_type == "f" or looks_like_formula(text):
                    cell.data_type = "s"  # openpyxl takes "=…" for a formula
                    cell.quotePrefix = True


_VALIDATION_TEXTS = (("error", 255), ("errorTitle", 32), ("prompt", 255), ("promptTitle", 32))
"""A data validation's texts, and the most characters Excel takes in each."""


class WriteError(OSError):
    """An output that could not be written (its folder missing, a file where a folder
    should be, no permission, no space): ``filename`` is the output's own path."""


def make_folder(path: str | os.PathLike[str]) -> None:
    """The folder ``path`` (and those above it), made if missing; the system's refusal
    is a :class:`WriteError` naming it."""
    try:
        Path(path).mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise WriteError(error.errno, error.strerror or str(error), str(path)) from None


@contextlib.contextmanager
def replacing(path: str | os.PathLike[str]) -> Iterator[Path]:
    """A file beside ``path`` to write the output to: it replaces ``path`` when the block
    ends, and is removed if the block fails, so no output is ever left half-written. (A
    ``path`` that exists and is not a regular file, such as ``/dev/stdout``, is written
    directly.) The system's refusal to write is a :class:`WriteError` naming ``path``."""
    target = Path(path)
    if target.exists() and not target.is_file():
        yield target
        return
    temporary = target.with_name(f".{target.stem}-{os.urandom(4).hex()}{target.suffix}")
    try:
        yield temporary
        os.replace(temporary, target)
    except OSError as error:
        if isinstance(error, WriteError):
            raise
        raise WriteError(error.errno, error.strerror or str(error), str(target)) from None
    finally:
        with contextlib.suppress(OSError):  # (no folder to remove it from: nothing written)
            temporary.unlink(missing_ok=True)


def printable_cells(values: Any) -> list[Any]:
    """A row of cells for a worksheet: text made printable, other values as they are."""
    return [printable(value) if isinstance(value, str) else value for value in values]


_SHEET_TITLE = re.compile(r"[\[\]:*?/\\]")


def sheet_title(text: str) -> str:
    """A worksheet title from any text: printable, without ``[]:*?/\\``, 31 characters."""
    return _SHEET_TITLE.sub("_", printable(text))[:31] or "_"


_FILE_NAME = re.compile(r'[\x00-\x1f\x7f<>:"/\\|?*]')
_RESERVED = frozenset(
    {
        "con",
        "prn",
        "aux",
        "nul",
        *(f"com{n}" for n in range(1, 10)),
        *(f"lpt{n}" for n in range(1, 10)),
    }
)


def file_name(text: str) -> str:
    """A file name (without suffix) from any text, e.g. a unit's name: no path separator,
    control character or character Windows refuses, no leading dot, at most 80
    characters, never a reserved device name (``CON``).

    >>> file_name("../某局/办公室:一科"), file_name("CON"), file_name(".")
    ('_.._某局_办公室_一科', '_CON', '_')
    """
    name = _FILE_NAME.sub("_", text).strip(" ")[:80].rstrip(". ")
    if not name or name.startswith("."):
        name = "_" + name if name not in ("", ".") else "_"
    if name.split(".")[0].lower() in _RESERVED:
        name = "_" + name
    return name


def markdown_text(text: str) -> str:
    """``text`` for a Markdown table cell: printable, no HTML, no ``|``, one line."""
    import html  # here: a first score writes no Markdown

    escaped = html.escape(printable(text), quote=False)
    return escaped.replace("|", "\\|").replace("\n", " ")


def brief(value: Any, limit: int = 60) -> str:
    """A short description of any value for a message: its ``repr`` cut to ``limit``
    characters, an integer too long to write out by its magnitude, and a value whose
    ``repr`` fails, or says only where it lives in memory, by its type's name. Never
    raises.

    >>> brief(10**5000), brief("abc"), brief("x" * 80, 10), brief(x for x in ())
    ('1.000000e+5000', "'abc'", "'xxxxxx...", '<generator>')
    """
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > 200:
        from decimal import Decimal  # here: only a very long integer needs it

        return f"{Decimal(int.__int__(value)):.6e}"
    try:
        text = repr(value)
    except Exception:  # a caller's object whose repr fails: told by its type
        return f"<{type(value).__name__}>"
    if not isinstance(text, str):  # pragma: no cover - repr() checks this itself
        return f"<{type(value).__name__}>"
    if _ADDRESS.fullmatch(text):  # <generator object <genexpr> at 0x7f…>: no news to anyone
        return f"<{type(value).__name__}>"
    return text if len(text) <= limit else text[: limit - 3] + "..."


_ADDRESS = re.compile(r"<.* at 0x[0-9a-fA-F]+>", re.DOTALL)
"""Python's default ``repr``: a type and a memory address."""


def as_text(value: Any) -> str:
    """``value`` as text for a name (a unit's, say): text as it is, anything else by
    ``str``, or by its type's name if ``str`` fails. Never raises.

    >>> as_text("科室"), as_text(12), as_text(1.5)
    ('科室', '12', '1.5')
    """
    if type(value) is str:
        return value
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > 200:
        return brief(value)
    try:
        text = str(value)
    except Exception:  # a caller's object that cannot say what it is
        return f"<{type(value).__name__}>"
    return text if type(text) is str else f"<{type(value).__name__}>"
