"""``rubriceng import-table``: a published 指标评分表 (xlsx, docx, csv) to a first rubric.

A finance bureau publishes its rubric as a table: 一级/二级/三级指标 with their points
(分值 or 权重), 指标解释, 评分标准, 备注, and the 加减分 rows. :func:`import_table` reads such
a table — merged cells, or blank parent cells carried down — and writes a rubric that
loads and scores at once: every leaf is a ``judgement`` (an assessor's score and
reason), with every name, point value and text exactly as the table prints them, and,
where a 评分标准 looks like a known pattern (每满5%扣0.5分, 达到90%得满分, 是/否), the
method it suggests in a comment. What does not add up is reported with its sheet and row,
and noted in the file, which is written all the same.
"""

from __future__ import annotations

import json
import os
import re
import unicodedata
from collections.abc import Iterator, Sequence
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import attrs

from rubriceng.errors import InputError, TableError
from rubriceng.inputs.files import csv_rows, docx_grids, open_workbook
from rubriceng.language.model import MAX_POINTS
from rubriceng.language.schema import LEVELS, RUBRIC_ID_PATTERN
from rubriceng.outputs.words import term
from rubriceng.sanitize import printable

__all__ = ["Imported", "TableProblem", "import_table"]

_LEVEL_WORDS = ("一级", "二级", "三级", "四级")
_POINT_WORDS = ("分值", "权重", "分数", "满分")
_TEXT_ROLES = (  # role, heading words (the first found decides)
    ("description", ("指标解释", "指标说明", "指标内涵", "指标释义", "指标定义")),
    ("standard", ("评分标准", "评分细则", "评分方法", "评分规则", "计分方法", "考核标准")),
    ("remarks", ("备注",)),
    ("basis", ("评分依据", "自评依据")),
    ("score", ("自评分", "自评得分", "得分", "自评分数")),
)
_ADJUSTMENT = re.compile(r"^(加减分|加分|减分|扣分)")
_TOTAL = re.compile(r"^(合计|总分|总计)")
_POINTS_IN_NAME = re.compile(r"^(?P<name>.*?)[（(]?(?P<points>\d+(?:\.\d+)?)分?[）)]?$")


@attrs.frozen
class TableProblem:
    """Something in the table that does not add up: where (sheet or table, and row)."""

    where: str
    row: int | None
    message: str

    def __str__(self) -> str:
        at = f"第 {self.row} 行" if self.row is not None else ""
        return f"{self.where} {at}：{self.message}".replace("  ", " ")


@attrs.frozen
class Imported:
    """What :func:`import_table` made: the rubric as YAML text (comments included), as
    data, and the problems found."""

    text: str
    rubric: dict[str, Any]
    problems: tuple[TableProblem, ...]


@attrs.frozen
class _Cell:
    text: str
    span: tuple[int, int] | None = None
    """The rows a merged cell covers (first, last), where the table merges it."""


@attrs.frozen
class _Grid:
    where: str
    rows: tuple[tuple[int, tuple[_Cell, ...]], ...]

    def title(self, before: int) -> str | None:
        """The table's title: the first row above the headings with one text (merged)."""
        for _, cells in self.rows[:before]:
            texts = list(dict.fromkeys(_one_line(cell.text) for cell in cells if cell.text))
            if len(texts) == 1 and "：" not in texts[0] and ":" not in texts[0]:
                return texts[0]
        return None


# -- reading ---------------------------------------------------------------------------------


_LINE_BREAKS = re.compile(r"\r\n|[\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")
_CONTROLS = re.compile(r"[\x00-\x08\x0e-\x1b\x1f\x7f-\x9f\ufeff\ufffe\uffff\ud800-\udfff]")


def _text(value: Any) -> str:
    """A cell's text as the table prints it: its line breaks as ``\\n``, a tab as a space,
    no control character."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = _LINE_BREAKS.sub("\n", str(value)).replace("\t", " ")
    return _CONTROLS.sub("", text).strip()


def _one_line(text: str) -> str:
    """A name broken over lines in its cell, on one line: joined as written, with a space
    only between two Latin letters or digits."""
    text = re.sub(r"(?<=[A-Za-z0-9])[ \u3000]*\n\s*(?=[A-Za-z0-9])", " ", text)
    return re.sub(r"[ \u3000]*\n\s*", "", text)


def _squeezed(text: str) -> str:
    """A heading's words without the spaces and line breaks that spread it across its cell
    (备　　注, 一级\\n指标)."""
    return re.sub(r"\s+", "", text)


def _xlsx(path: Path) -> list[_Grid]:
    book = open_workbook(path, "table", merged=True)
    grids = []
    for sheet in book.worksheets:
        values = [[_text(cell) for cell in row] for row in sheet.iter_rows(values_only=True)]
        spans: dict[tuple[int, int], tuple[int, int]] = {}
        for merged in sheet.merged_cells.ranges:
            top = (
                values[merged.min_row - 1][merged.min_col - 1]
                if merged.min_row <= len(values)
                and merged.min_col <= len(values[merged.min_row - 1])
                else ""
            )
            for row in range(merged.min_row, merged.max_row + 1):
                for column in range(merged.min_col, merged.max_col + 1):
                    if row <= len(values) and column <= len(values[row - 1]):
                        values[row - 1][column - 1] = top
                    spans[(row, column)] = (merged.min_row, merged.max_row)
        rows = tuple(
            (
                number,
                tuple(
                    _Cell(text, spans.get((number, column)))
                    for column, text in enumerate(row, start=1)
                ),
            )
            for number, row in enumerate(values, start=1)
        )
        grids.append(_Grid(f"工作表「{sheet.title}」", rows))
    return grids


def _docx(path: Path) -> list[_Grid]:
    grids = []
    for index, table in enumerate(docx_grids(path, "table"), start=1):
        spans: dict[int, tuple[int, int]] = {}  # a merged cell's first and last rows
        for number, row in enumerate(table, start=1):
            for cell, _ in row:
                spans[cell] = (spans.get(cell, (number, number))[0], number)
        merged = {cell: span for cell, span in spans.items() if span[0] != span[1]}
        rows = tuple(
            (number, tuple(_Cell(_text(text), merged.get(cell)) for cell, text in row))
            for number, row in enumerate(table, start=1)
        )
        grids.append(_Grid(f"表 {index}", rows))
    return grids


def _csv(path: Path) -> list[_Grid]:
    rows = csv_rows(path, "table")
    return [
        _Grid(
            path.name,
            tuple(
                (number, tuple(_Cell(_text(value)) for value in row))
                for number, row in enumerate(rows, start=1)
            ),
        )
    ]


def _grids(path: Path) -> list[_Grid]:
    suffix = path.suffix.lower()
    readers = {".xlsx": _xlsx, ".xlsm": _xlsx, ".docx": _docx, ".csv": _csv, ".txt": _csv}
    if suffix not in readers:
        raise ValueError(term("table suffix", name=path.name))
    try:
        return readers[suffix](path)
    except InputError as error:  # told as the published table it is, not a unit's inputs
        raise TableError(error.summary, error.problems) from None


# -- the layout ----------------------------------------------------------------------------


@attrs.define
class _Layout:
    heading_end: int  # index of the last heading row
    names: dict[int, int] = attrs.field(factory=dict)  # level → column
    points: dict[int, int] = attrs.field(factory=dict)  # level → column
    texts: dict[str, int] = attrs.field(factory=dict)  # role → column


def _layout(grid: _Grid) -> _Layout | None:
    rows = grid.rows
    start = next(
        (
            index
            for index, (_, cells) in enumerate(rows[:30])
            if any(word in _squeezed(cell.text) for cell in cells for word in _LEVEL_WORDS)
        ),
        None,
    )
    if start is None:
        return None
    end = start
    while end + 1 < len(rows) and _is_heading(rows[end + 1][1]):
        end += 1
    width = max(len(cells) for _, cells in rows[start : end + 1])
    labels = []
    for column in range(width):
        parts: list[str] = []
        for _, cells in rows[start : end + 1]:
            text = _squeezed(cells[column].text) if column < len(cells) else ""
            if text and (not parts or parts[-1] != text):
                parts.append(text)
        labels.append(" ".join(parts))
    layout = _Layout(end)
    last_level: int | None = None
    for column, label in enumerate(labels):
        level = next((k for k, word in enumerate(_LEVEL_WORDS, start=1) if word in label), None)
        pointy = any(word in label for word in _POINT_WORDS)
        role = next((role for role, words in _TEXT_ROLES if any(w in label for w in words)), None)
        if level is not None and role is None:
            if pointy:
                layout.points.setdefault(level, column)
            else:
                layout.names.setdefault(level, column)
            last_level = level
        elif role is not None:
            layout.texts.setdefault(role, column)
            last_level = None
        elif pointy and last_level is not None:  # 一级指标 | 分值 | 二级指标 | 分值 …
            layout.points.setdefault(last_level, column)
    return layout if layout.names else None


def _is_heading(cells: Sequence[_Cell]) -> bool:
    words = (
        *_LEVEL_WORDS,
        *_POINT_WORDS,
        "名称",
        "指标",
        "评分",
        "备注",
        "依据",
        "说明",
        "自评",
        "得分",
    )
    texts = [_squeezed(cell.text) for cell in cells if cell.text]
    return bool(texts) and all(
        any(word in text for word in words) and len(text) <= 12 for text in texts
    )


# -- the tree ------------------------------------------------------------------------------


@attrs.define
class _Node:
    name: str
    points: Decimal | None
    row: int
    level: int
    span: tuple[int, int] | None
    texts: dict[str, str] = attrs.field(factory=dict)
    text_spans: dict[str, tuple[int, int] | None] = attrs.field(factory=dict)
    children: list[_Node] = attrs.field(factory=list)
    rows: int = 1


def _number(text: str) -> Decimal | None:
    """Points as a table prints them: ``10``, ``10分``, ``１０``, or a weight ``10%`` (10 of
    100 points)."""
    text = unicodedata.normalize("NFKC", text).replace("分", "").strip().removesuffix("%")
    if not text:
        return None
    try:
        return _plausible(Decimal(text))
    except InvalidOperation:
        return None


def _plausible(number: Decimal) -> Decimal | None:
    """``number`` if it can be points — finite, 0 to :data:`MAX_POINTS`, at most four
    decimal places — else None (a cell of ``1e999999999`` would be a billion digits)."""
    if not number.is_finite() or not 0 <= number <= MAX_POINTS:
        return None
    return number if number == number.quantize(Decimal("0.0001")) else None


def _read_tree(
    grid: _Grid, layout: _Layout, problems: list[TableProblem]
) -> tuple[list[_Node], list[tuple[int, str, dict[str, str], Decimal | None]]]:
    tops: list[_Node] = []
    adjustments: list[tuple[int, str, dict[str, str], Decimal | None]] = []
    current: dict[int, _Node] = {}
    depth = max(layout.names)
    for number, cells in grid.rows[layout.heading_end + 1 :]:

        def cell(column: int | None, cells: Sequence[_Cell] = cells) -> _Cell:
            return cells[column] if column is not None and column < len(cells) else _Cell("")

        texts = [c.text for c in cells if c.text]
        if not texts:
            continue
        first = _squeezed(texts[0])
        if _TOTAL.match(first):
            break
        row_texts = {
            role: cell(column).text
            for role, column in layout.texts.items()
            if role in ("description", "standard", "remarks") and cell(column).text
        }
        if _ADJUSTMENT.match(first):
            names = [_one_line(cell(layout.names[level]).text) for level in sorted(layout.names)]
            name = next(
                (text for text in reversed(names) if text and _squeezed(text) != first),
                _one_line(texts[0]),
            )
            name = re.sub(r"^加减分[:：]", "", name) or name
            points = _number(cell(layout.points.get(2) or layout.points.get(1)).text)
            adjustments.append((number, name, row_texts, points))
            continue
        levels = {level: cell(column) for level, column in layout.names.items()}
        deepest = max((level for level, found in levels.items() if found.text), default=None)
        if deepest is None:
            problems.append(TableProblem(grid.where, number, "这一行没有指标名称"))
            continue
        parent: _Node | None = None
        for level in range(1, deepest + 1):
            found = levels.get(level, _Cell(""))
            name = _one_line(found.text)
            points = _number(cell(layout.points.get(level)).text)
            if not name and level in current and level < deepest:
                node = current[level]  # a blank parent cell: the one above carries down
            elif not name:
                problems.append(
                    TableProblem(grid.where, number, f"{_LEVEL_WORDS[level - 1]}指标缺失")
                )
                name = f"（缺{_LEVEL_WORDS[level - 1]}指标）"
                node = _Node(name, None, number, level, None)
                _attach(node, parent, tops)
            else:
                node = current.get(level)  # type: ignore[assignment]
                same = (
                    node is not None
                    and node.name == name
                    and (found.span is None or found.span == node.span)
                    and (parent is None or node in parent.children)
                    and level < deepest
                )
                if same and node is not None:
                    node.rows += 1
                else:
                    if (
                        points is None
                        and _POINTS_IN_NAME.match(name)
                        and level not in (layout.points)
                    ):
                        match = _POINTS_IN_NAME.match(name)
                        assert match is not None
                        name = match.group("name").strip()
                        points = _plausible(Decimal(match.group("points")))
                    node = _Node(name, points, number, level, found.span)
                    _attach(node, parent, tops)
                    for deeper in [key for key in current if key > level]:
                        del current[deeper]
            current[level] = node
            parent = node
        assert parent is not None
        parent.texts = row_texts
        parent.text_spans = {role: cell(layout.texts[role]).span for role in row_texts}
    del depth
    return tops, adjustments


def _attach(node: _Node, parent: _Node | None, tops: list[_Node]) -> None:
    (parent.children if parent is not None else tops).append(node)


def _unit_defined(node: _Node) -> bool:
    """A node whose rows all share one merged 指标解释 or 评分标准 cell: the table prints
    the parts a unit names itself (效果性) under one rule — one indicator, not a group."""
    if len(node.children) < 2 or any(child.children for child in node.children):
        return False
    for role in ("standard", "description"):
        spans = {child.text_spans.get(role) for child in node.children}
        texts = {child.texts.get(role) for child in node.children}
        if len(spans) == 1 and None not in spans and len(texts) == 1 and None not in texts:
            first, last = spans.pop()  # type: ignore[misc]
            rows = [child.row for child in node.children]
            if first <= min(rows) and max(rows) <= last:
                return True
    return False


# -- suggestions ---------------------------------------------------------------------------

_STEPS = re.compile(
    r"每(?:满|增加|减少|超过|高于|低于|下降|上升|提高|降低|高|低|少|多)?\s*(\d+(?:\.\d+)?)\s*(%|个百分点|个|项|次|天)?"
    r"[^，,；;。]{0,8}?(扣|减|加)\s*(\d+(?:\.\d+)?)\s*分"
)
_FULL_AT = re.compile(r"(?:达到|不低于|≥)\s*(\d+(?:\.\d+)?)\s*%[^，,；;。]{0,6}得满分")
_RATIO = re.compile(
    r"得分\s*=\s*[^=]*(?:率|比例)\s*[×*]|[×*]\s*(?:本指标)?(?:分值|满分)"
    r"|得分\s*=[^=]*?(?:分值|满分)\s*[×*]"
)
_YES_NO = re.compile(r"是/否|有/无|是否|的，得\s*\d+(?:\.\d+)?\s*分|否则不得分|不得分")
_CRITERION = re.compile(r"的[，,]\s*得\s*(\d+(?:\.\d+)?)\s*分")
_BANDS = re.compile(r"(\d+(?:\.\d+)?)\s*%\s*(?:（含）)?\s*(?:以上|以下|-|—|~|至)")


def suggestion(standard: str) -> str | None:
    """The method a 评分标准 suggests, with its parameters, as a comment line; None when it
    looks like none of the known patterns.

    >>> suggestion("预决算差异率每增加5%扣0.5分，扣完为止")
    'steps: each 5% deducts 0.5 — value: <the rate>, steps: {size: 0.05, deduct: 0.5}'
    >>> suggestion("达到90%得满分，每低1个百分点扣0.1分").split(" — ")[0]
    'ratio or steps: full marks at 90%, each 1 个百分点 below deducts 0.1'
    >>> suggestion("有的，得2分；否则不得分。")
    'all_or_nothing or checklist: a yes/no criterion'
    """
    full = _FULL_AT.search(standard)
    steps = _STEPS.search(standard)
    if full and steps:
        size = _fraction_of(steps.group(1), steps.group(2))
        return (
            f"ratio or steps: full marks at {full.group(1)}%, each {steps.group(1)} "
            f"{steps.group(2) or ''} below deducts {steps.group(4)} — steps: "
            f"{{size: {size}, deduct: {steps.group(4)}}} below {_fraction_of(full.group(1), '%')}"
        ).replace("  ", " ")
    if steps:
        size = _fraction_of(steps.group(1), steps.group(2))
        verb = "adds" if steps.group(3) == "加" else "deducts"
        unit = steps.group(2) or ""
        return (
            f"steps: each {steps.group(1)}{unit} {verb} {steps.group(4)} — value: <the rate>, "
            f"steps: {{size: {size}, deduct: {steps.group(4)}}}"
        )
    criteria = _CRITERION.findall(standard)
    if len(criteria) >= 2:
        points = "、".join(criteria)
        return (
            f"checklist: {len(criteria)} criteria ({points} 分) — checklist: [{{id: …, points: …}}]"
        )
    if _RATIO.search(standard):
        return "ratio: points × actual / target — ratio: {actual: <input>, target: <input>}"
    if len(_BANDS.findall(standard)) >= 2:
        return "bands: scores by ranges of a value — bands: [{min: …, score: …}, …]"
    if _YES_NO.search(standard):
        return "all_or_nothing or checklist: a yes/no criterion"
    return None


def _fraction_of(number: str, unit: str | None) -> str:
    if unit in ("%", "个百分点"):
        return format((Decimal(number) / 100).normalize(), "f")
    return number


# -- writing -------------------------------------------------------------------------------


_UNPRINTABLE = re.compile(r"[\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff\ud800-\udfff]")
"""What JSON leaves as it is but YAML refuses in a file or reads as a line break."""


def _scalar(value: Any) -> str:
    """``value`` as a YAML scalar that reads back as exactly ``value``."""
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value == value.to_integral() else str(value)
    if isinstance(value, str):  # a YAML double-quoted scalar, every escape JSON's
        quoted = json.dumps(value, ensure_ascii=False)
        return _UNPRINTABLE.sub(lambda found: f"\\u{ord(found.group()):04x}", quoted)
    return str(value)


def _comment(text: str) -> str:
    """``text`` for a YAML comment: on one line, no control character."""
    return re.sub(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]+", " ", text)


def _emit(node: _Node, ident: str, indent: int, lines: list[str]) -> dict[str, Any]:
    pad = " " * indent
    data: dict[str, Any] = {"id": ident, "name": node.name, "points": node.points or Decimal(0)}
    lines.append(f"{pad}- id: {ident}")
    lines.append(f"{pad}  name: {_scalar(node.name)}")
    lines.append(f"{pad}  points: {_scalar(node.points or Decimal(0))}")
    texts = node.texts
    if node.children and _unit_defined(node):
        texts = node.children[0].texts
        parts = [child.name for child in node.children]
        for role in ("description", "standard", "remarks"):
            if texts.get(role):
                lines.append(f"{pad}  {role}: {_scalar(texts[role])}")
                data[role] = texts[role]
        lines.append(
            f"{pad}  # the unit names its own parts here; the table shows: "
            + _comment("、".join(parts))
        )
        lines.append(f"{pad}  unit_defined: {{}}")
        data["unit_defined"] = {}
        return data
    if node.children:
        lines.append(f"{pad}  children:")
        data["children"] = [
            _emit(child, f"{ident}_{index}", indent + 4, lines)
            for index, child in enumerate(node.children, start=1)
        ]
        return data
    for role in ("description", "standard", "remarks"):
        if texts.get(role):
            lines.append(f"{pad}  {role}: {_scalar(texts[role])}")
            data[role] = texts[role]
    hint = suggestion(texts.get("standard", ""))
    if hint:
        lines.append(f"{pad}  # suggested method: {_comment(hint)}")
    lines.append(f"{pad}  judgement: {{}}")
    data["judgement"] = {}
    return data


_ADJUSTMENT_AMOUNT = re.compile(
    r"(?:一次|每次|每项|每个|每起)?[^，,；;。]{0,6}?(加|扣|减)\s*(\d+(?:\.\d+)?)\s*分"
)
_ADJUSTMENT_MAX = re.compile(r"(?:最多|最高|累计不超过|上限)[^，,；;。\d]{0,6}(\d+(?:\.\d+)?)\s*分")


_REGION = re.compile(r"(?=.{1,40}\Z)[\w·（）()]([\w·（）() -]*[\w·（）()])?")
"""A region's name as the files quote it: words, digits, spaces, ·, brackets, at most
40 characters, neither beginning nor ending with a space (a name of spaces is none)."""

_VERSION = re.compile(r"(?=.{1,40}\Z)[\w.-]+")
"""A version as a rubric's id@version names it: ``2025``, ``2025.1``, ``v2``."""


def option_problems(
    *,
    rubric_id: str | None = None,
    version: str | None = None,
    level: str | None = None,
    region: str | None = None,
    title: str | None = None,
) -> list[str]:
    """What is wrong with the options a generated rubric is given (each is written into it
    as it is), in the user's language; nothing given, nothing wrong."""
    checks = (
        ("plugin id", rubric_id, lambda text: re.fullmatch(RUBRIC_ID_PATTERN, text)),
        ("plugin version", version, _VERSION.fullmatch),
        ("plugin level", level, lambda text: text in LEVELS),
        ("plugin region", region, _REGION.fullmatch),
        ("plugin title", title, lambda text: text.strip() and printable(text) == text),
    )
    return [
        term(key, name=value, have=term("list").join(LEVELS))
        for key, value, right in checks
        if value is not None and not right(value)
    ]


def import_table(
    path: str | os.PathLike[str],
    *,
    rubric_id: str | None = None,
    version: str | None = None,
    level: str | None = None,
    region: str | None = None,
    title: str | None = None,
) -> Imported:
    """Read the 指标评分表 at ``path`` (``.xlsx``, ``.docx`` or ``.csv``) into a rubric.

    Every name, point value and text is kept as the table prints it; every leaf is a
    ``judgement``; what does not add up is in :attr:`Imported.problems` (and in the
    text, as comments). Raises :class:`ValueError` when no table with 一级/二级/三级
    headings is found, and :class:`~rubriceng.errors.TableError` (an ``InputError``)
    when the file cannot be read as a table, with every problem.
    """
    wrong = option_problems(
        rubric_id=rubric_id, version=version, level=level, region=region, title=title
    )
    if wrong:  # refused before the table is read: the rubric would not load
        raise ValueError("\n".join(wrong))
    source = Path(path)
    problems: list[TableProblem] = []
    for grid in _grids(source):
        layout = _layout(grid)
        if layout is None:
            continue
        tops, adjustments = _read_tree(grid, layout, problems)
        if tops:
            title = title or grid.title(layout.heading_end)
            break
    else:
        raise ValueError(term("table headings", name=source.name))
    for node in reversed(list(_walk(tops))):  # a missing level weighs what it holds
        if node.name.startswith("（缺") and node.points is None:
            node.points = sum((child.points or Decimal(0) for child in node.children), Decimal(0))
    _check_points(tops, grid.where, problems)
    for node in _walk(tops):
        if node.points is None and not node.name.startswith("（缺"):
            problems.append(TableProblem(grid.where, node.row, f"「{node.name}」没有分值"))
    total = sum((node.points or Decimal(0) for node in tops), Decimal(0))
    stem = re.sub(r"[^a-z0-9]+", "-", source.stem.lower()).strip("-") or "table"
    rubric_id = rubric_id or f"local/{stem}"
    version = version or "1"
    title = title or source.stem
    lines = [
        f"# Imported from {_comment(source.name)} by rubriceng import-table: every name, point "
        "value and",
        "# text as the table prints them. Every leaf starts as a judgement (an assessor gives",
        "# a score and a reason); replace it with a scoring method where the rule allows, as",
        "# the 'suggested method' comments propose.",
    ]
    if problems:
        lines.append("#")
        lines.append("# Problems found in the table (fix the table or this file):")
        lines += [f"# - {_comment(str(problem))}" for problem in problems]
    lines += [
        f"id: {_scalar(rubric_id)}",
        f"version: {_scalar(str(version))}",
        f"title: {_scalar(title)}",
    ]
    rubric: dict[str, Any] = {"id": rubric_id, "version": str(version), "title": title}
    if level:
        lines.append(f"level: {_scalar(level)}")
        rubric["level"] = level
    if region:
        lines.append(f"region: {{name: {_scalar(region)}}}")
        rubric["region"] = {"name": region}
    provenance = {"basis": "transcribed", "sources": [source.name]}
    lines += [
        "provenance:",
        "  basis: transcribed",
        f"  sources: [{_scalar(source.name)}]",
        f"total: {_scalar(total)}",
        "rounding: {digits: 2, mode: half_up}",
    ]
    rubric["rounding"] = {"digits": 2, "mode": "half_up"}
    if total == 100:  # the grades most tables use; a table of other points sets its own
        grades = (("优", 90), ("良", 80), ("中", 60), ("差", 0))
        lines.append("grades:")
        lines += [f"  - {{name: {name}, min: {least}}}" for name, least in grades]
        rubric["grades"] = [{"name": name, "min": least} for name, least in grades]
    lines += [
        "",
        "indicators:",
    ]
    rubric.update(provenance=provenance, total=total)
    rubric["indicators"] = [
        _emit(node, f"i{index}", 2, lines) for index, node in enumerate(tops, start=1)
    ]
    if adjustments:
        lines += ["", "adjustments:"]
        rubric["adjustments"] = []
        for index, (row, name, texts, _) in enumerate(adjustments, start=1):
            rule = texts.get("standard", "")
            amount = _ADJUSTMENT_AMOUNT.search(rule)
            cap = _ADJUSTMENT_MAX.search(rule)
            sign = -1 if (amount and amount.group(1) != "加") or "减" in name or "扣" in name else 1
            found = _plausible(Decimal(amount.group(2))) if amount else None
            amount = amount if found is not None else None
            per_event = found * sign if found is not None else Decimal(sign)
            if amount is None:
                message = f"「{name}」的每次加减分值未在评分标准中找到，暂按 {per_event}"
                problems.append(TableProblem(grid.where, row, message))
                lines.append(f"  # per_event not found in the rule text: {per_event} for now")
            item: dict[str, Any] = {
                "id": f"adjustment_{index}",
                "name": name,
                "per_event": per_event,
            }
            lines.append(f"  - id: adjustment_{index}")
            lines.append(f"    name: {_scalar(name)}")
            lines.append(f"    per_event: {_scalar(per_event)}")
            most = _plausible(Decimal(cap.group(1))) if cap else None
            if most is not None:
                item["max"] = most
                lines.append(f"    max: {_scalar(most)}")
            for role in ("description", "standard"):
                if texts.get(role):
                    lines.append(f"    {role}: {_scalar(texts[role])}")
                    item[role] = texts[role]
            rubric["adjustments"].append(item)
    return Imported("\n".join(lines) + "\n", rubric, tuple(problems))


def _walk(nodes: Sequence[_Node]) -> Iterator[_Node]:
    for node in nodes:
        yield node
        if not _unit_defined(node):
            yield from _walk(node.children)


def _check_points(nodes: Sequence[_Node], where: str, problems: list[TableProblem]) -> None:
    for node in nodes:
        if node.children and not _unit_defined(node):
            _check_points(node.children, where, problems)
            if node.points is None:
                continue
            found = sum((child.points or Decimal(0) for child in node.children), Decimal(0))
            if found != node.points:
                problems.append(
                    TableProblem(
                        where,
                        node.row,
                        f"{_LEVEL_WORDS[node.level - 1]}指标「{node.name}」分值 "
                        f"{_scalar(node.points)}，其下各项合计 {_scalar(found)}",
                    )
                )
        elif node.children:  # the parts of a unit-defined indicator
            found = sum((child.points or Decimal(0) for child in node.children), Decimal(0))
            if node.points is not None and found != node.points:
                problems.append(
                    TableProblem(
                        where,
                        node.row,
                        f"{_LEVEL_WORDS[node.level - 1]}指标「{node.name}」分值 "
                        f"{_scalar(node.points)}，其下各项合计 {_scalar(found)}",
                    )
                )
