"""The ``rubriceng`` command line.

Exit codes: 0 success; 1 a rubric, input, plugin or scoring error (printed as located
messages) or a failing test case; 2 a usage error. ``--debug`` shows tracebacks;
``--strict`` turns any plugin failure into an error (for CI).
"""

from __future__ import annotations

import contextlib
import csv
import errno
import functools
import json
import os
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import attrs
import click

from rubriceng.commandhelp import Group, spoken
from rubriceng.errors import InputError, RubricengError
from rubriceng.language.years import EVALUATION_YEARS
from rubriceng.outputs.words import (
    BATCH_FORM_WORDS,
    SYSTEM_REASONS,
    TERMS,
    grade,
    language,
    method_name,
    summary_words,
    term,
    using,
)
from rubriceng.sanitize import WriteError, csv_cell, make_folder, printable, replacing

if TYPE_CHECKING:  # the commands import what they use, so that --help is quick
    from rubriceng.cycle.roster import Roster
    from rubriceng.host.registry import Registry
    from rubriceng.language.model import Indicator, Rubric
    from rubriceng.scoring.result import Batch

F = TypeVar("F", bound=Callable[..., Any])


class Styled:
    """Text to print bold or in colour: the style is ours, the text is made printable."""

    def __init__(self, text: str, **style: Any) -> None:
        self.text = text
        self.style = style


def echo(*parts: object, err: bool = False) -> None:
    """``click.echo`` of ``parts`` with every control character in them shown, never sent
    to the terminal; :class:`Styled` parts carry rubriceng's own styling."""
    text = "".join(
        click.style(printable(part.text), **part.style)
        if isinstance(part, Styled)
        else printable(str(part))
        for part in parts
    )
    click.echo(text, err=err)


def _version(context: click.Context, _: click.Parameter, given: bool) -> None:
    """``--version``: ``rubriceng，版本 0.1.0`` in the language spoken, then exit."""
    if not given or context.resilient_parsing:
        return
    from importlib.metadata import version

    click.echo(term("version line", spoken(), name="rubriceng", version=version("rubriceng")))
    context.exit()


@click.group(cls=Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--version",
    is_flag=True,
    expose_value=False,
    is_eager=True,
    callback=_version,
    help="Show the version and exit.",
)
@click.option("--strict", is_flag=True, help="Fail on any plugin problem (for CI).")
@click.option("--debug", is_flag=True, help="Show tracebacks.")
@click.option(
    "--lang",
    type=click.Choice(["zh", "en"]),
    help="The language of everything printed: zh (the default, or $RUBRICENG_LANG) or en.",
)
@click.pass_context
def main(context: click.Context, strict: bool, debug: bool, lang: str | None) -> None:
    """Score budget-performance rubrics (部门整体支出绩效自评) declared as data.

    \b
    Exit codes:
      0  success
      1  a rubric, input, plugin or scoring error (printed as located messages,
         tracebacks only with --debug), a failing test case, a unit of a batch
         that could not be scored, a rubric file with errors
      2  a usage error (a missing argument, an unknown option or suffix)
    """
    from rubriceng.inputs.files import quiet_readers

    quiet_readers()
    context.obj = {"strict": strict, "debug": debug}
    if lang:
        context.with_resource(using(lang))


def _registry(context: click.Context) -> Registry:
    from rubriceng.host.registry import Registry, default_registry, search_path

    if context.obj and context.obj.get("strict"):
        return Registry(strict=True, search_path=search_path())
    return default_registry()


def _reported(command: F) -> F:
    """Print rubriceng errors as located messages and exit 1 (tracebacks with --debug)."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        with using(kwargs.get("lang")):
            try:
                return command(*args, **kwargs)
            except RubricengError as error:
                context = click.get_current_context()
                if context.obj and context.obj.get("debug"):
                    raise
                echo(_labelled("error", error.spoken(), error.text()), err=True)
                sys.exit(1)
            except OSError as error:  # the system refused a file: which, and why
                context = click.get_current_context()
                if isinstance(error, BrokenPipeError) or (context.obj or {}).get("debug"):
                    raise
                echo(_labelled("error", None, system_error(error)), err=True)
                sys.exit(1)

    return wrapper  # type: ignore[return-value]


def system_error(error: OSError) -> str:
    """What the system's refusal to read or write a file means, in the user's language."""
    written = isinstance(error, WriteError)
    name = errno.errorcode.get(error.errno or 0, "")
    reasons = SYSTEM_REASONS[language()]
    reason = reasons.get(f"{name} write" if written else name) or reasons.get(name)
    if reason is None:
        reason = reasons["other"].format(error=name or error.strerror or type(error).__name__)
    where = printable(str(error.filename)) if error.filename is not None else "?"
    return term("cannot write" if written else "cannot read", file=where, error=reason)


def _labelled(kind: str, lang: str | None, text: str) -> str:
    """``错误：…`` or ``error: …``: a message under its kind, in the language it speaks."""
    return f"{term(kind, lang)}{term(': ', lang)}{text}"


_YEAR = click.option(
    "--year",
    type=click.IntRange(*EVALUATION_YEARS),  # 0 or 10^20 is told, not a traceback
    metavar="YEAR",
    help="With a rubric id: the version in force in that evaluation year.",
)


_LANG = click.option(
    "--lang",
    type=click.Choice(["zh", "en"]),
    default=lambda: language(),
    show_default="zh, or $RUBRICENG_LANG",
    help="Indicator names, headings and errors: Chinese, or English where the rubric has it.",
)


def _roster(text: str) -> Callable[[F], F]:
    """``--units FILE``: a roster (名单), read by :func:`rubriceng.cycle.roster.read_roster`."""
    return click.option(
        "--units",
        "roster_file",
        type=click.Path(exists=True, dir_okay=False, path_type=Path),
        help=text,
    )


_OUTPUT_SUFFIXES = (".txt", ".md", ".json", ".html", ".xlsx", ".docx")


@main.command()
@click.argument("rubric")
@click.argument("inputs", type=click.Path(dir_okay=False))
@_YEAR
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the result to a file; its suffix chooses the form: "
    ".xlsx (the 指标评分表 and the inputs), .html (a report), .docx (the scoring part of "
    "the 自评报告, to complete), .json, .md or .txt.",
)
@click.option(
    "--format",
    "output_format",
    default="text",
    show_default=True,
    help="Without -o: text (a table), json (rubriceng.result/1), markdown or a plugin's format.",
)
@_LANG
@click.pass_context
@_reported
def score(
    context: click.Context,
    rubric: str,
    inputs: str,
    year: int | None,
    output: Path | None,
    output_format: str,
    lang: str,
) -> None:
    """Score one unit: RUBRIC (a file, an id or id@version) against INPUTS (.yaml, .json,
    or the .xlsx form from 'rubriceng template').

    \b
    Examples:
      rubriceng score cn.gd.huizhou/dept-overall@2020 examples/huizhou-2020-office.yaml
      rubriceng score cn.gd.huizhou/dept-overall@2020 form.xlsx -o result.xlsx
      rubriceng score cn.gd.huizhou/dept-overall@2020 unit.yaml -o report.html --lang en
      rubriceng score cn.gd.huizhou/dept-overall@2020 unit.yaml -o 自评报告.docx
    """
    _apart(output, inputs, rubric)
    from rubriceng.cycle.intake import check_version, returned_form, rubric_for
    from rubriceng.loader import load_inputs
    from rubriceng.outputs.text import write_result
    from rubriceng.scoring.engine import evaluate

    registry = _registry(context)
    if output is None and output_format not in registry.renderers:
        raise click.BadParameter(
            term(
                "format unknown",
                format=output_format,
                have=term("list").join(sorted(registry.renderers)),
            ),
            param_hint="--format",
        )
    if output is not None and output.suffix.lower() not in _OUTPUT_SUFFIXES:
        raise _wrong_suffix(output, _OUTPUT_SUFFIXES)
    loaded = rubric_for(rubric, [inputs], lambda ref: registry.load(ref, year=year))
    unit = load_inputs(inputs)
    check_version(loaded, returned_form(unit, inputs))
    result = evaluate(loaded, unit.inputs, unit=unit.unit, document=unit.document)
    if output is None:
        echo(registry.render(result, output_format, lang))
        return
    write_result(result, output, rubric=loaded, inputs=unit.inputs, lang=lang)
    _done(f"{result.total} {grade(result.grade, lang, result.grade_en)}".rstrip(), output)


_FILE = click.Path(dir_okay=False, path_type=Path)


def _write_forms(rubric: Rubric, units: Sequence[str], folder: Path, lang: str) -> None:
    """A form for each of ``units`` in ``folder``, named by the unit, its name filled in."""
    from rubriceng.outputs.spreadsheet import write_template

    make_folder(folder)
    named: Iterable[tuple[str, str]] = list(zip(units, _file_names(units), strict=True))
    with contextlib.ExitStack() as stack:
        if _on_terminal():  # a province's roster takes minutes: a bar, never in a pipe
            named = stack.enter_context(click.progressbar(named, label="writing", file=sys.stderr))
        for unit, name in named:
            write_template(rubric, folder / f"{name}.xlsx", lang=lang, unit=unit)
    _done(term("forms written", count=len(units)), folder)


def _file_names(names: Sequence[str]) -> list[str]:
    """A file name for each of ``names``, none twice on a case-blind disk (a/b and a_b;
    甲 and 甲): the second of a kind numbered."""
    from rubriceng.sanitize import file_name

    taken: set[str] = set()
    found = []
    for text in names:
        name = base = file_name(text)
        number = 1
        while name.lower() in taken:
            number += 1
            name = f"{base}-{number}"
        taken.add(name.lower())
        found.append(name)
    return found


def _wrong_suffix(path: Path, suffixes: Sequence[str]) -> click.BadParameter:
    """The usage error of an output file whose suffix is none of ``suffixes``."""
    return click.BadParameter(
        term("suffix must", name=path.name, suffixes=term("list").join(suffixes)), param_hint="-o"
    )


def _apart(output: Path | None, *read: str | os.PathLike[str] | None) -> None:
    """Refuse an output (``-o``) that is one of the files the command reads: writing it
    would replace a unit's form, a roster or a table with the command's answer."""
    if output is None or not output.is_file():
        return
    for item in read:
        if item is not None and Path(item).is_file() and os.path.samefile(item, output):
            raise click.BadParameter(term("output is input", name=output.name), param_hint="-o")


def _write(path: Path, text: str, encoding: str = "utf-8") -> None:
    """``text`` to ``path``, put in place whole."""
    with replacing(path) as written:
        written.write_text(text, encoding=encoding)


def _done(what: str, path: Path) -> None:
    """Say on stderr what was written where (stdout stays for data)."""
    echo(Styled(what, bold=True), f" → {path}", err=True)


@main.command()
@click.argument("rubric")
@click.argument("inputs", type=click.Path(dir_okay=False))
@click.argument("indicator")
@_YEAR
@_LANG
@click.pass_context
@_reported
def explain(
    context: click.Context, rubric: str, inputs: str, indicator: str, year: int | None, lang: str
) -> None:
    """Explain one INDICATOR's score in words and numbers, step by step. INDICATOR is its
    id, its name as the table prints it, or a unique beginning of that name.

    \b
    Examples:
      rubriceng explain cn.gd.huizhou/dept-overall@2020 \\
          examples/huizhou-2020-office.yaml procurement_rate
      rubriceng explain cn.gd.huizhou/dept-overall@2020 \\
          examples/huizhou-2020-office.yaml 政府采购执行率
    """
    from rubriceng.loader import load_inputs
    from rubriceng.outputs.explanation import explain as explain_indicator
    from rubriceng.scoring.engine import evaluate

    loaded = _registry(context).load(rubric, year=year)
    unit = load_inputs(inputs)
    result = evaluate(loaded, unit.inputs, unit=unit.unit, document=unit.document)
    echo(explain_indicator(result, result.indicator(indicator).id, loaded, lang))


@main.command()
@click.argument("rubric")
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),  # a folder with --units: checked below
    required=True,
    help=".xlsx (a form with data validation), .yaml (commented), .json, "
    "or .csv (the header of a batch file).",
)
@click.option(
    "--batch",
    "many",
    is_flag=True,
    help="A form for many units, one per row (.xlsx or .csv), to send out at once.",
)
@_roster(
    "The units to send forms to (名单: .txt, one a line, or the first column of a "
    ".csv or .xlsx): with --batch a row for each, named; else -o is a folder and each "
    "unit gets its own form, its name filled in."
)
@_YEAR
@_LANG
@click.pass_context
@_reported
def template(
    context: click.Context,
    rubric: str,
    output: Path,
    many: bool,
    roster_file: Path | None,
    year: int | None,
    lang: str,
) -> None:
    """Write an input form for RUBRIC: every input with its label, unit, type, allowed
    range and the indicators that use it. The form records the rubric's id@version, and
    is scored by that version.

    With --batch, a form for many units: a row per unit, columns headed by the inputs'
    labels and units (a hidden second row holds their ids), with the same checks on
    every cell, and a sheet of instructions.

    \b
    Examples:
      rubriceng template cn.gd.huizhou/dept-overall@2020 -o form.xlsx
      rubriceng template cn.gd.huizhou/dept-overall@2020 --batch -o units.xlsx
      rubriceng template cn.gd.huizhou/dept-overall@2020 -o units.csv
      rubriceng template cn.gd.huizhou/dept-overall@2020 --units 名单.txt -o forms
    """
    _apart(output, roster_file)
    from rubriceng.language.paths import fields, template_json, template_yaml

    loaded = _registry(context).load(rubric, year=year)
    suffix = output.suffix.lower()
    if many and suffix not in (".xlsx", ".csv"):
        raise click.BadParameter(term("batch form suffix", name=output.name), param_hint="-o")
    units: tuple[str, ...] = ()
    if roster_file is not None:
        from rubriceng.cycle.roster import read_roster

        apart = not many and suffix != ".csv"  # a .csv is a table of units: one file
        if apart and (suffix or output.is_file()):
            raise click.BadParameter(term("forms folder", name=output.name), param_hint="-o")
        units = read_roster(roster_file).units
        if apart:  # a form for each unit, into a folder (again, when the roster grew)
            _write_forms(loaded, units, output, lang)
            return
    option = next(param for param in context.command.params if param.name == "output")
    _FILE.convert(output, option, context)  # one file: never a folder, as click says
    if many and suffix == ".xlsx":
        from rubriceng.outputs.spreadsheet import write_batch_form

        write_batch_form(loaded, output, lang=lang, units=units)
    elif suffix == ".xlsx":
        from rubriceng.outputs.spreadsheet import write_template

        write_template(loaded, output, lang=lang)
    elif suffix in (".yaml", ".yml"):
        _write(output, template_yaml(loaded, lang), encoding="utf-8")
    elif suffix == ".json":
        _write(output, template_json(loaded), encoding="utf-8")
    elif suffix == ".csv":  # --batch: the labels over the ids, as in the .xlsx batch form
        every = fields(loaded)
        with (
            replacing(output) as written,
            open(written, "w", newline="", encoding="utf-8-sig") as handle,
        ):
            writer = csv.writer(handle)
            if many:
                writer.writerow(
                    [
                        csv_cell(BATCH_FORM_WORDS[language(lang)]["unit"]),
                        *(csv_cell(field.heading(lang)) for field in every),
                    ]
                )
            writer.writerow(["unit", *(field.path for field in every)])
            writer.writerows([csv_cell(unit)] for unit in units)
    else:
        raise _wrong_suffix(output, (".xlsx", ".yaml", ".json", ".csv"))
    _done(term("inputs written", lang, count=len(fields(loaded))), output)


@main.command()
@click.argument("rubric")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True))
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help=".xlsx (the bureau's summary: 排名, 等级分布, 失分分析, 参数 and every score), "
    ".csv, .parquet or .json (rubriceng.batch/1, with each indicator's 评分依据).",
)
@click.option(
    "--tables",
    is_flag=True,
    help="Also write each unit's 指标评分表 (.xlsx) into a folder beside the output.",
)
@click.option(
    "--reviews",
    multiple=True,
    type=click.Path(exists=True),
    help="Reviewers' files (复核; a file or a folder, repeatable), each naming its "
    "unit: units are scored and ranked as reviewed.",
)
@_roster(
    "The units that were sent forms (名单, as template --units reads it): a unit "
    "returned under a name not on it stops the batch, with the names it is close to; "
    "those that returned nothing are listed (未报送), in the summary too."
)
@_YEAR
@_LANG
@click.pass_context
@_reported
def batch(
    context: click.Context,
    rubric: str,
    paths: tuple[str, ...],
    output: Path,
    tables: bool,
    reviews: tuple[str, ...],
    roster_file: Path | None,
    year: int | None,
    lang: str,
) -> None:
    """Score a year's returned forms at once. PATHS are files or folders, in any mix:
    single-unit forms (.xlsx from 'rubriceng template', .yaml, .json) and tables with one
    unit per row (.xlsx, .csv in UTF-8 or GB18030, .parquet), headed by input ids or by
    the inputs' Chinese labels ('rubriceng template RUBRIC --batch' writes one).

    Peer statistics (e.g. the 市直 average) are computed over all the units together and
    recorded in the output. Columns that are not inputs are named in a warning and left
    out. A unit returned twice, or a form made for another version of the rubric, stops
    the batch before anything is scored. Units that cannot be scored are listed with
    their problems; the exit code is then 1.

    \b
    Examples:
      rubriceng batch cn.gd.huizhou/dept-overall@2020 returned/ -o summary.xlsx
      rubriceng batch cn.gd.huizhou/dept-overall units.xlsx late/ -o scores.json
      rubriceng batch cn.gd.huizhou/dept-overall@2020 returned/ -o summary.xlsx --tables
      rubriceng batch cn.gd.huizhou/dept-overall@2020 returned/ --reviews reviews/ \\
          -o reviewed.xlsx
      rubriceng batch cn.gd.huizhou/dept-overall@2020 returned/ --units 名单.txt \\
          -o summary.xlsx
    """
    _apart(output, *paths, roster_file, *reviews)
    from rubriceng.cycle.intake import read_returns, rubric_for
    from rubriceng.cycle.roster import read_roster
    from rubriceng.scoring.engine import evaluate_many

    _check_batch_suffix(output)
    roster = read_roster(roster_file) if roster_file is not None else None
    make_folder(output.parent)
    registry = _registry(context)
    loaded = rubric_for(rubric, paths, lambda ref: registry.load(ref, year=year))
    own = [output, _tables_folder(output, lang)]  # a rerun never reads its own output
    if _on_terminal():
        count = len(files_of_paths(paths, own))
        with click.progressbar(length=count, label="reading", file=sys.stderr) as bar:
            intake = read_returns(loaded, paths, progress=_Progress(bar), exclude=own)
    else:
        intake = read_returns(loaded, paths, exclude=own)
    for warning in intake.warnings:
        echo(_labelled("warning", lang, warning.text(lang)), err=True)
    if roster is not None:
        unlisted = roster.unlisted(intake)
        if unlisted:
            raise InputError(f"{len(unlisted)} units returned are not on the roster", unlisted)
        missing = roster.missing(unit.unit for unit in intake.units)
        if missing:
            names = term("list", lang).join(missing)
            said = term(
                "not returned" if loaded.subject == "unit" else f"not returned {loaded.subject}",
                lang,
                file=roster.source,
                count=len(missing),
                names=names,
            )
            echo(_labelled("warning", lang, said), err=True)
    named: Mapping[str, Mapping[str, Any]] = intake.named()
    scores: dict[str, dict[str, Decimal]] = {}
    if reviews:
        from rubriceng.cycle.intake import files_of
        from rubriceng.cycle.review import apply_reviews, load_changes

        files = [load_changes(path) for path in files_of(reviews)]
        named, scores = apply_reviews(loaded, named, files)
    if _on_terminal():
        with click.progressbar(length=len(named), label="scoring", file=sys.stderr) as bar:
            found = evaluate_many(
                loaded,
                named,
                trace=True,
                errors="collect",
                progress=_Progress(bar),
                reviewed=scores,
            )
    else:
        found = evaluate_many(loaded, named, trace=True, errors="collect", reviewed=scores)
    found = intake.locate(found)
    reviewed = len(scores) if reviews else None
    _write_batch(loaded, found, output, lang, reviewed=reviewed, roster=roster)
    if tables:
        _write_tables(loaded, found, intake, output, lang)
    for failure in found.failures:
        echo(_labelled("error", lang, failure.error.text(lang)), err=True)
    if found.failures:
        sys.exit(1)


def files_of_paths(paths: Sequence[str], exclude: Sequence[Path]) -> list[Path]:
    """The files a batch reads from ``paths`` (for the progress bar)."""
    from rubriceng.cycle.intake import files_of

    return files_of(paths, exclude)


def _tables_folder(output: Path, lang: str) -> Path:
    """Where ``--tables`` writes each unit's 指标评分表: a folder beside ``output``."""
    return output.with_name(f"{output.stem}-{'tables' if language(lang) == 'en' else '指标评分表'}")


def _write_tables(rubric: Rubric, found: Batch, intake: Any, output: Path, lang: str) -> None:
    """Each unit's 指标评分表 in a folder beside ``output``, named by the unit."""
    from rubriceng.outputs.spreadsheet import write_scoresheet

    folder = _tables_folder(output, lang)
    make_folder(folder)
    inputs = {unit.unit: unit.inputs for unit in intake.units}
    named = _file_names([result.unit or "unit" for result in found.results])
    for result, name in zip(found.results, named, strict=True):
        write_scoresheet(
            result,
            folder / f"{name}.xlsx",
            rubric=rubric,
            inputs=inputs.get(result.unit or ""),
            lang=lang,
        )
    _done(f"{len(found.results)}", folder)


@main.command(name="review")
@click.argument("rubric")
@click.argument("inputs", type=click.Path(exists=True, dir_okay=False))
@click.argument("changes", required=False, type=click.Path(exists=True, dir_okay=False))
@click.option(
    "--form",
    is_flag=True,
    help="Write a review form for INPUTS to fill in (-o review.xlsx) instead.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help=".xlsx (复核概况 and 复核结果) or .json; without it, a table of what changed.",
)
@click.option("--all", "every", is_flag=True, help="List every indicator, changed or not.")
@_YEAR
@_LANG
@click.pass_context
@_reported
def review_command(
    context: click.Context,
    rubric: str,
    inputs: str,
    changes: str | None,
    form: bool,
    output: Path | None,
    every: bool,
    year: int | None,
    lang: str,
) -> None:
    """复核: score a unit's self-assessment INPUTS as it assessed itself and as a
    reviewer's CHANGES (a .yaml/.json file, or the .xlsx form 'review --form' writes)
    change it, and show 自评分, 复核分 and 差异 for every indicator and the total, each
    difference with its reason.

    \b
    Examples:
      rubriceng review cn.gd.huizhou/dept-overall@2020 unit.yaml --form -o review.xlsx
      rubriceng review cn.gd.huizhou/dept-overall@2020 unit.yaml review.xlsx
      rubriceng review cn.gd.huizhou/dept-overall@2020 unit.yaml review.yaml -o reviewed.xlsx
    """
    _apart(output, inputs, changes, rubric)
    from rubriceng.cycle.intake import check_version, returned_form, rubric_for
    from rubriceng.cycle.review import (
        load_changes,
        review,
        review_text,
        write_review,
        write_review_form,
    )
    from rubriceng.loader import load_inputs
    from rubriceng.scoring.engine import evaluate

    registry = _registry(context)
    loaded = rubric_for(rubric, [inputs], lambda ref: registry.load(ref, year=year))
    unit = load_inputs(inputs)
    check_version(loaded, returned_form(unit, inputs))
    if form:
        if output is None or output.suffix.lower() != ".xlsx":
            raise click.BadParameter(term("review form suffix"), param_hint="-o")
        result = evaluate(loaded, unit.inputs, unit=unit.unit, trace=False)
        write_review_form(loaded, result, unit.inputs, output, lang=lang)
        _done(f"{result.total} {grade(result.grade, lang, result.grade_en)}".rstrip(), output)
        return
    if changes is None:
        raise click.UsageError(term("review what"))
    if output is not None and output.suffix.lower() not in (".xlsx", ".json"):
        raise _wrong_suffix(output, (".xlsx", ".json"))
    found = review(loaded, unit.inputs, load_changes(changes), unit=unit.unit)
    if output is None:
        echo(review_text(found, lang, every=every))
    elif output.suffix.lower() == ".json":
        _write(
            output,
            json.dumps(found.to_dict(), ensure_ascii=False, indent=2) + "\n",
            encoding="utf-8",
        )
    else:
        write_review(found, output, lang=lang)
    if output is not None:
        _done(f"{found.self_assessed.total} → {found.reviewed.total}", output)


@main.command(name="history")
@click.argument("results", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help=".xlsx (the table and a line chart of the totals), .html or .json.",
)
@_LANG
@_reported
def history_command(results: tuple[str, ...], output: Path | None, lang: str) -> None:
    """A unit's scores over the years: RESULTS are its results (JSON, from 'score
    --format json' or '-o result.json'), one per year, possibly under different versions
    of the rubric. Indicators are lined up by id; what a new version added, removed or
    re-weighted is said beside them. The year comes from each file's name (2024.json).

    \b
    Examples:
      rubriceng history 2023.json 2024.json 2025.json
      rubriceng history results/*.json -o history.xlsx
    """
    _apart(output, *results)
    from rubriceng.cycle.history import history_text, load_history, write_history

    found = load_history(results)
    if output is None:
        echo(history_text(found, lang))
        return
    suffix = output.suffix.lower()
    if suffix == ".json":
        _write(
            output,
            json.dumps(attrs.asdict(found), ensure_ascii=False, indent=2, default=str) + "\n",
            encoding="utf-8",
        )
    elif suffix in (".xlsx", ".html"):
        write_history(found, output, lang=lang)
    else:
        raise _wrong_suffix(output, (".xlsx", ".html", ".json"))
    _done(" → ".join(str(total) for total in found.totals), output)


def _on_terminal() -> bool:
    """True when stderr is a terminal (progress bars then; never in a pipe)."""
    return sys.stderr.isatty()


class _Progress:
    """Moves a click progress bar to the number of units done."""

    def __init__(self, bar: Any) -> None:
        self.bar = bar
        self.done = 0

    def __call__(self, done: int) -> None:
        self.bar.update(done - self.done)
        self.done = done


_BATCH_SUFFIXES = (".xlsx", ".csv", ".json", ".parquet")


def _check_batch_suffix(output: Path | None) -> None:
    if output is not None and output.suffix.lower() not in _BATCH_SUFFIXES:
        raise _wrong_suffix(output, (".xlsx", ".csv", ".parquet", ".json"))


def _write_batch(
    rubric: Rubric,
    found: Batch,
    output: Path,
    lang: str,
    reviewed: int | None = None,
    roster: Roster | None = None,
) -> None:
    """Write a batch's scores in the form the suffix of ``output`` names."""
    from rubriceng.cycle.summary import write_batch_json, write_scores, write_summary

    suffix = output.suffix.lower()
    if suffix == ".xlsx":
        write_summary(rubric, found, output, lang=lang, reviewed=reviewed, roster=roster)
    elif suffix == ".json":
        write_batch_json(rubric, found, output, lang=lang)
    else:
        write_scores(rubric, found, output, lang=lang)
    done = summary_words(language(lang), rubric.subject)["done"]
    _done(done.format(scored=len(found.results), failed=len(found.failures)), output)


@main.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--warnings-as-errors", is_flag=True, help="Exit 1 on warnings too.")
@_LANG
@click.pass_context
@_reported
def check(context: click.Context, file: str, warnings_as_errors: bool, lang: str) -> None:
    """Lint a rubric FILE: every error that stops it loading, else warnings (an input no
    indicator reads, an indicator that can never apply, a band no value reaches, points
    a method cannot give), each with file:line.

    \b
    Example:
      rubriceng check my-rubric.yaml
    """
    from rubriceng.authoring.lint import lint

    report = lint(file, registry=_registry(context))
    for kind, problems, colour in (
        ("error", report.errors, "red"),
        ("warning", report.warnings, "yellow"),
    ):
        for problem in problems:
            lang = problem.speaks()
            echo(
                Styled(term(kind, lang), fg=colour, bold=True),
                f"{term(': ', lang)}{problem.text(lang)}",
            )
    echo(term("checked", errors=len(report.errors), warnings=len(report.warnings)))
    if report.errors or (warnings_as_errors and report.warnings):
        sys.exit(1)


@main.command()
@click.argument("rubric", required=False)
@click.option("--result", "which", flag_value="result", help="The schema of results.")
@click.option("--batch", "which", flag_value="batch", help="The schema of batch results.")
@_YEAR
@_LANG
@click.pass_context
@_reported
def schema(
    context: click.Context, rubric: str | None, which: str | None, year: int | None, lang: str
) -> None:
    """Print a JSON Schema: of RUBRIC's inputs, or with --result / --batch of results.

    \b
    Examples:
      rubriceng schema cn.gd.huizhou/dept-overall@2020 > inputs.schema.json
      rubriceng schema --result > result.schema.json
    """
    from rubriceng.outputs.schemas import BATCH_SCHEMA, RESULT_SCHEMA, inputs_schema

    if which is not None:
        found: Any = RESULT_SCHEMA if which == "result" else BATCH_SCHEMA
    elif rubric is None:
        raise click.UsageError(term("schema what"))
    else:
        found = inputs_schema(_registry(context).load(rubric, year=year))
    echo(json.dumps(found, ensure_ascii=False, indent=2))


@main.command(name="list")
@click.option("--level", help="province, city, county, …")
@click.option("--region", help="A region's name (惠州) or code (441300).")
@click.option(
    "--year",
    type=click.IntRange(*EVALUATION_YEARS),
    metavar="YEAR",
    help="Only versions in force in that evaluation year.",
)
@_LANG
@click.pass_context
@_reported
def list_rubrics(
    context: click.Context, level: str | None, region: str | None, year: int | None, lang: str
) -> None:
    """List the rubrics the installed plugins offer.

    \b
    Examples:
      rubriceng list
      rubriceng list --level city --region 惠州 --year 2025
    """
    registry = _registry(context)
    entries = registry.rubrics(level=level, region=region, year=year)
    rows = [
        (
            entry.ref,
            _word("level", entry.level),
            " ".join(filter(None, [entry.region_name, entry.region_code])),
            str(entry.in_force or ""),
            entry.plugin,
            (entry.title_en or entry.title) if lang == "en" else entry.title,
        )
        for entry in entries
    ]
    _table(_headings("rubric", "level", "region", "in force", "plugin", "title"), rows)
    for failure in registry.failures:  # what could not be listed, said out loud
        echo(Styled(term("warning"), fg="yellow", bold=True), term(": "), failure.text(), err=True)


@main.command()
@click.argument("rubric")
@click.argument("indicators", nargs=-1)
@_YEAR
@_LANG
@click.option(
    "--rules",
    is_flag=True,
    help="Under the tree, every scored indicator's rule: 评分标准, formulas, the "
    "method's settings, cases, when it applies, notes, source line.",
)
@click.pass_context
@_reported
def show(
    context: click.Context,
    rubric: str,
    indicators: tuple[str, ...],
    year: int | None,
    lang: str,
    rules: bool,
) -> None:
    """Show a rubric: its indicators, points, methods and where each comes from; with
    --rules or INDICATORS, the rules they are scored by.

    \b
    Examples:
      rubriceng show cn.gd.huizhou/dept-overall@2020
      rubriceng show cn.gd.huizhou/dept-overall --year 2025 --lang en
      rubriceng show cn.gd.huizhou/dept-overall@2020 --rules
      rubriceng show cn.gd.huizhou/dept-overall@2020 carryover_rate procurement_rate
    """
    from rubriceng.outputs.outline import rule_lines

    loaded = _registry(context).load(rubric, year=year)
    indicators = tuple(loaded.indicator(key).id for key in indicators)  # ids, names, prefixes
    if indicators:
        for index, ident in enumerate(indicators):
            if index:
                echo()
            echo("\n".join(rule_lines(loaded.indicator(ident), lang)))
        return
    english = lang == "en"
    title = (loaded.title_en or loaded.title) if english else loaded.title
    echo(f"{loaded.ref}  {title}")
    if loaded.extends:
        echo(term("extends", lang, ref=loaded.extends))
    if loaded.in_force:
        echo(term("in force", lang, days=loaded.in_force))
    if loaded.subject != "unit":
        echo(term(f"scores {loaded.subject}", lang))
    echo(term("provenance", lang, text=_provenance(loaded.provenance, full=True, lang=lang)))
    rows: list[tuple[str, ...]] = []

    def visit(node: Indicator, depth: int) -> None:
        rows.append(
            (
                "  " * depth + ((node.name_en or node.name) if english else node.name),
                node.id,
                str(node.points),
                method_name(node.method, lang) if node.method else "",
                "" if node.origin == loaded.ref else node.origin or "",
                _provenance(node.provenance, full=False, lang=lang),
            )
        )
        for child in node.children:
            visit(child, depth + 1)

    for top in loaded.indicators:
        visit(top, 0)
    echo()
    headings = _headings("node", "id", "points", "method", "inherited", "provenance", lang=lang)
    _table(headings, rows)
    for node in loaded.walk() if rules else ():
        if node.method:
            echo("\n" + "\n".join(rule_lines(node, lang)))


@main.command()
@_LANG
@click.pass_context
@_reported
def plugins(context: click.Context, lang: str) -> None:
    """List the plugins that loaded (name, version, hooks, rubrics) and what failed.

    \b
    Examples:
      rubriceng plugins
      rubriceng --strict plugins      # exit 1 if any plugin failed (for CI)
    """
    from rubriceng.host.registry import Registry, search_path

    registry = Registry(strict=False, search_path=search_path())
    failures = registry.check()
    offered: dict[str, list[str]] = {}
    for entry in registry.rubrics():
        offered.setdefault(entry.plugin, []).append(entry.ref)
    for info in registry.plugins:
        version = f" {info.version}" if info.version else ""
        dist = f" ({info.distribution})" if info.distribution else ""
        echo(f"{info.name}{version}{dist}")
        hooks = ", ".join(hook.removeprefix("rubriceng_") for hook in info.hooks)
        echo(term("hooks", hooks=hooks))
        for ref in offered.get(info.name, []):
            echo(term("offers", ref=ref))
    if failures:
        echo("\n" + term("plugin problems", count=len(failures)))
        for failure in failures:
            echo(f"  {failure.text()}")
        if context.obj and context.obj.get("strict"):
            sys.exit(1)


@main.command(name="test")
@click.argument("paths", nargs=-1, type=click.Path(exists=True))
@click.option("-v", "--verbose", is_flag=True, help="Name every case, passed or not.")
@_LANG
@click.pass_context
@_reported
def test_cases(context: click.Context, paths: tuple[str, ...], verbose: bool, lang: str) -> None:
    """Run rule-author test cases (test_*.yaml) in PATHS, or every installed plugin's.

    \b
    Examples:
      rubriceng test
      rubriceng test -v plugins/rubriceng-gd-huizhou/src/rubriceng_gd_huizhou/tests
    """
    from rubriceng.authoring.cases import CaseFileError, case_files, load_cases, run_case

    registry = _registry(context)
    sources = list(paths) or [path for _, path in registry.test_case_sources]
    passed = failed = broken = 0
    for file in (file for source in sources for file in case_files(source)):
        try:  # a file that cannot be read is told, and the other files' cases still run
            cases = load_cases(file)
        except CaseFileError as error:
            broken += 1
            echo(_labelled("error", error.spoken(), error.text()), err=True)
            continue
        for outcome in (run_case(case, registry) for case in cases):
            if outcome.passed:
                passed += 1
                if verbose:
                    case = term("case", where=outcome.case.where, name=outcome.case.name)
                    echo(term("case passed", case=case))
            else:
                failed += 1
                echo(term("case failed", report=outcome.report()))
    summary = term("cases", passed=passed, failed=failed)
    echo(summary + (term("case files unread", count=broken) if broken else ""))
    if failed or broken or not passed:
        sys.exit(1)


@main.command()
@click.argument("before")
@click.argument("after")
@click.argument("inputs", type=click.Path(dir_okay=False))
@click.option("--all", "show_all", is_flag=True, help="Also list indicators that did not change.")
@click.option("--json", "as_json", is_flag=True, help="Print the comparison as JSON.")
@_LANG
@click.pass_context
@_reported
def diff(
    context: click.Context,
    before: str,
    after: str,
    inputs: str,
    show_all: bool,
    as_json: bool,
    lang: str,
) -> None:
    """Score INPUTS by two rubrics and show the differences, indicator by indicator.

    INPUTS may hold the inputs of both rubrics; each gets those it declares.

    \b
    Example:
      rubriceng diff cn.gd.huizhou/dept-overall@2020 cn.gd.huizhou/dept-overall@2025 \\
          examples/huizhou-office-2020-and-2025.yaml
    """
    from rubriceng.authoring.comparison import SAME, SCORED_BY, compare
    from rubriceng.loader import load_inputs

    registry = _registry(context)
    unit = load_inputs(inputs)
    try:
        comparison = compare(
            registry.load(before), registry.load(after), unit.inputs, unit=unit.unit
        )
    except RubricengError as error:  # say which of the two rubrics the unit failed
        notes = getattr(error, "__notes__", ())
        scored = [note.removeprefix(SCORED_BY) for note in notes if note.startswith(SCORED_BY)]
        if scored:
            echo(term("diff scoring", ref=scored[-1]), err=True)
        raise
    if as_json:
        echo(json.dumps(comparison.to_dict(), ensure_ascii=False, indent=2))
        return
    rows = []
    for item in comparison.differences:
        if item.status == SAME and not show_all:
            continue
        side = item.after or item.before
        english = side.name_en if side is not None and lang == "en" else None
        rows.append(
            (
                english or item.name,
                item.id,
                str(item.before.score) if item.before else "—",
                str(item.after.score) if item.after else "—",
                f"{item.delta:+}",
                _word("change", item.status),
            )
        )
    first, second = comparison.before, comparison.after
    rows.append(
        (term("total"), "", str(first.total), str(second.total), f"{comparison.delta:+}", "")
    )
    _table(
        (
            *_headings("node", "id"),
            f"{first.rubric_id}@{first.rubric_version}",
            f"{second.rubric_id}@{second.rubric_version}",
            "Δ",
            "",
        ),
        rows,
    )


@main.command(name="new-plugin")
@click.argument("name")
@click.option(
    "--directory",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path(),
    show_default=True,
    help="Where to write rubriceng-NAME/.",
)
@click.option("--id", "rubric_id", help="The rubric id (default local.NAME/dept-overall).")
@click.option("--level", default="county", show_default=True)
@click.option("--region", default="示例县", show_default=True, help="The region's name.")
@click.option("--code", default="000000", show_default=True, help="Its administrative code.")
@click.option(
    "--year",
    type=click.IntRange(*EVALUATION_YEARS),
    metavar="YEAR",
    help="First evaluation year (default: this year).",
)
@click.option(
    "--from-table",
    "table",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Start from a published 指标评分表 (.xlsx, .docx or .csv), as import-table reads it.",
)
@_LANG
@_reported
def new_plugin_command(
    name: str,
    directory: Path,
    rubric_id: str | None,
    level: str,
    region: str,
    code: str,
    year: int | None,
    table: Path | None,
    lang: str,
) -> None:
    """Write a working plugin skeleton, rubriceng-NAME: one rubric, its test cases.

    \b
    Examples:
      rubriceng new-plugin shaoguan --region 韶关市 --code 440200 --level city
      rubriceng new-plugin shaoguan --region 韶关市 --level city --from-table 评分表.xlsx
    """
    from rubriceng.authoring.scaffold import new_plugin

    try:
        skeleton = new_plugin(
            name,
            directory,
            rubric_id=rubric_id,
            level=level,
            region=region,
            code=code,
            year=year,
            table=table,
        )
    except (ValueError, FileExistsError) as error:
        raise click.UsageError(str(error)) from None
    for file in skeleton.files:
        echo(term("wrote", file=file))
    echo(
        f"\n{term('next steps')}\n  pip install -e {skeleton.root}\n"
        f"  rubriceng test {skeleton.root / 'src' / skeleton.package / 'tests'}"
    )


@main.command(name="import-table")
@click.argument("table", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="The rubric to write (.yaml).",
)
@click.option("--id", "rubric_id", help="The rubric id (default local/<file name>).")
@click.option("--version", help="The rubric's version (default 1).")
@click.option("--level", help="province, city, county, district, township or other.")
@click.option("--region", help="The region's name (惠州市).")
@click.option("--title", help="The title (default: the table's own, or the file name).")
@_LANG
@_reported
def import_table_command(
    table: Path,
    output: Path,
    rubric_id: str | None,
    version: str | None,
    level: str | None,
    region: str | None,
    title: str | None,
    lang: str,
) -> None:
    """Read a published 指标评分表 TABLE (.xlsx, .docx or .csv) into a rubric: every name,
    point value and text as the table prints them, every leaf a judgement, a suggested
    method where a 评分标准 looks like a known pattern. What does not add up is reported
    with its sheet and row, and the rubric is written all the same.

    \b
    Examples:
      rubriceng import-table 评分表.xlsx -o rubric.yaml --id cn.gd.shaoguan/dept-overall \\
          --version 2025 --level city --region 韶关市
      rubriceng check rubric.yaml
    """
    _apart(output, table)
    from rubriceng.authoring.tableimport import import_table

    try:
        imported = import_table(
            table, rubric_id=rubric_id, version=version, level=level, region=region, title=title
        )
    except ValueError as error:
        raise click.UsageError(str(error)) from None
    for problem in imported.problems:
        echo(Styled(term("warning"), fg="yellow", bold=True), f"{term(': ')}{problem}")
    _write(output, imported.text, encoding="utf-8")
    lines = [line.strip() for line in imported.text.splitlines()]  # a text is one quoted line
    leaves = lines.count("judgement: {}") + lines.count("unit_defined: {}")
    hints = sum(line.startswith("# suggested method:") for line in lines)
    echo(term("imported", file=output, leaves=leaves, hints=hints, problems=len(imported.problems)))


@main.command()
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="The address to listen on; another than loopback needs --token.",
)
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535))
@click.option(
    "--workers",
    default=1,
    show_default=True,
    type=click.IntRange(1, 64),
    help="Worker processes; each loads a rubric once, on its first request.",
)
@click.option(
    "--threads",
    default=4,
    show_default=True,
    type=click.IntRange(1, 64),
    help="Requests each worker scores at a time (off its event loop).",
)
@click.option(
    "--token",
    envvar="RUBRICENG_TOKEN",
    show_envvar=True,
    help="Require 'Authorization: Bearer TOKEN' on every /v1 request.",
)
@click.option(
    "--insecure",
    is_flag=True,
    help="Listen beyond loopback without a token (behind a proxy that checks).",
)
@click.option(
    "--max-body",
    default=1 << 20,
    show_default=True,
    type=click.IntRange(1024),
    help="The largest request body, in bytes.",
)
@click.option(
    "--timeout",
    default=30.0,
    show_default=True,
    type=click.FloatRange(0.01),
    help="The time limit of one request, in seconds.",
)
def serve(
    host: str,
    port: int,
    workers: int,
    threads: int,
    token: str | None,
    insecure: bool,
    max_body: int,
    timeout: float,
) -> None:
    """Serve rubriceng over HTTP (needs: pip install 'rubriceng[serve]'): /health,
    /openapi.json, /docs and the /v1 endpoints (see docs/service.md).

    \b
    Examples:
      rubriceng serve
      rubriceng serve --host 0.0.0.0 --port 8080 --workers 4 --token "$SECRET"
    """
    try:
        from rubriceng.service import Settings, is_loopback
        from rubriceng.service import serve as run
    except ImportError as error:
        raise click.ClickException(term("serve extra", error=error)) from None
    if not token and not insecure and not is_loopback(host):
        raise click.UsageError(term("serve open", host=host))
    run(
        host,
        port,
        workers=workers,
        settings=Settings(token=token or None, max_body=max_body, timeout=timeout, threads=threads),
    )


@main.group()
def targets() -> None:
    """Performance targets (绩效目标): read a 申报表 and judge what was achieved.

    \b
    Example:
      rubriceng targets check examples/huizhou-2026-targets.yaml
    """


@targets.command(name="check")
@click.argument("sheet", type=click.Path(exists=True, dir_okay=False))
@_LANG
@click.pass_context
@_reported
def targets_check(context: click.Context, sheet: str, lang: str) -> None:
    """List every target of SHEET (.yaml, .json or .xlsx like the published form) with its
    parsed form — comparator, number, unit; implied comparators are marked — and, where an
    actual value is given, its judgement. Values that need a person's judgement are
    flagged, never guessed. Exit 1 if an actual value cannot be compared with its target.

    \b
    Examples:
      rubriceng targets check examples/huizhou-2026-targets.yaml
      rubriceng targets check tests/data/targets-with-actuals.yaml --lang en
    """
    from decimal import Decimal

    from rubriceng.exact import rational, round_to
    from rubriceng.outputs.words import TARGET_SHEET_WORDS, TARGET_WORDS
    from rubriceng.targets import NEEDS_JUDGEMENT, UnitMismatch, load_sheets

    words = {**TARGET_WORDS[lang], **TARGET_SHEET_WORDS[lang]}  # statuses: the judgements' words
    failures = 0
    for found in load_sheets(sheet):
        period = "–".join(str(year) for year in found.period if year is not None)
        budget = words["budget"].format(found.budget) if found.budget is not None else ""
        during = f", {period}" if period else ""
        echo(Styled(found.name, bold=True), f"  ({words[found.kind]}{during}{budget})")
        rows: list[tuple[str, ...]] = []
        counts: dict[str, int] = {}
        weighed = any(row.points is not None for row in found.rows)
        for row in found.rows:
            target = row.target()
            used = row.comparator_used()
            parsed = target.describe(used, lang)
            if not target.judgement and target.comparator is None and not target.parts:
                parsed += words["override"] if row.comparator else words["implied"]
            try:
                judged = row.judgement(lang)
            except UnitMismatch as error:
                failures += 1
                counts["uncomparable"] = counts.get("uncomparable", 0) + 1
                verdict = _labelled("error", lang, error.text(lang))
            else:
                if judged is None:
                    status = NEEDS_JUDGEMENT if target.judgement else "none"
                else:
                    status = judged.status
                verdict = words[status]
                if judged is not None and judged.completion is not None and status != "met":
                    share = rational(judged.completion) * 100
                    verdict += f" {round_to(share, Decimal('0.1'), 'half_even')}%"
                counts[status] = counts.get(status, 0) + 1
            actual = "" if row.actual is None else str(row.actual)
            points = () if not weighed else ("" if row.points is None else str(row.points),)
            rows.append(
                (
                    row.level1,
                    row.level2,
                    row.name,
                    row.value or "",
                    *points,
                    parsed,
                    actual,
                    verdict,
                )
            )
        headings = words["headings"]
        _table((*headings[:4], words["points"], *headings[4:]) if weighed else headings, rows)
        summary = words[","].join(
            words["count"].format(n=count, status=words[status])
            for status, count in sorted(counts.items())
        )
        echo(words["summary"].format(n=len(found.rows), summary=summary) + "\n")
    if failures:
        echo(_labelled("error", None, term("uncomparable", count=failures)), err=True)
        sys.exit(1)


@targets.command(name="score")
@click.argument("sheet", type=click.Path(exists=True, dir_okay=False))
@click.option(
    "--rubric",
    "rubric_ref",
    default="cn/project-self-evaluation",
    show_default=True,
    help="The project rubric (an id, id@version or a file).",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also write the scores: .xlsx, .csv or .json (rubriceng.batch/1).",
)
@_LANG
@click.pass_context
@_reported
def targets_score(
    context: click.Context, sheet: str, rubric_ref: str, output: Path | None, lang: str
) -> None:
    """Score every project sheet of SHEET (with its actual values) by the project rubric
    (项目支出绩效自评表): 预算执行率 from budget and spent, the targets by level-1 group.
    The department's sheet is left out (绩效目标完成率 is an indicator of the department
    rubric). A project that cannot be scored is listed with why; the exit code is then 1.

    \b
    Example:
      rubriceng targets score tests/data/targets-with-actuals.yaml -o projects.xlsx
    """
    _apart(output, sheet, rubric_ref)
    from rubriceng.scoring.engine import evaluate_many
    from rubriceng.targets import load_sheets

    _check_batch_suffix(output)
    loaded = _registry(context).load(rubric_ref, year=None)
    projects = [found for found in load_sheets(sheet) if found.kind == "project"]
    found = evaluate_many(loaded, {p.name: p.project_inputs() for p in projects}, errors="collect")
    english = lang == "en"
    heads = [(top.name_en or top.name) if english else top.name for top in loaded.indicators]
    rows = [
        (
            result.unit or "",
            *(str(top.score) for top in result.indicators),
            str(result.total),
            result.grade or "",
        )
        for result in found.results
    ]
    _table(
        (
            "project" if english else "项目",
            *heads,
            "total" if english else "总分",
            "grade" if english else "等级",
        ),
        rows,
    )
    if output is not None:
        _write_batch(loaded, found, output, lang)
    for failure in found.failures:
        for problem in failure.problems:
            speaks = None if problem.params is not None else "en"
            echo(_labelled("error", speaks, problem.text()), err=True)
    if found.failures:
        sys.exit(1)


def _word(kind: str, key: str | None, lang: str | None = None) -> str:
    """A ``kind`` of word (a ``level``, a provenance ``basis``, a ``change``) in ``lang``, or
    ``key`` as it is where the words table has none."""
    return TERMS[language(lang)].get(f"{kind} {key}", key) if key else ""


def _headings(*keys: str, lang: str | None = None) -> tuple[str, ...]:
    """Column headings in ``lang`` (``node`` is an indicator's column)."""
    return tuple(term(f"{key} heading", lang) for key in keys)


def _provenance(provenance: Any, *, full: bool, lang: str | None = None) -> str:
    if not provenance:
        return ""
    points = _word("basis", provenance.get("points"), lang)
    rule = _word("basis", provenance.get("rule"), lang)
    text = points if points == rule else f"{points} / {rule}"
    if full:
        sources = "; ".join(provenance.get("sources", []))
        text += f" — {sources}" if sources else ""
        english = language(lang) == "en" and provenance.get("reasoning_en")
        reasoning = provenance.get("reasoning_en" if english else "reasoning")
        if reasoning:
            text += f"\n  {reasoning}"
    return str(text or "")


def _table(header: tuple[str, ...], rows: Sequence[tuple[str, ...]]) -> None:
    from rubriceng.sanitize import display_width

    widths = [max(display_width(row[i]) for row in [header, *rows]) for i in range(len(header))]

    def line(row: tuple[str, ...]) -> str:
        cells = (
            cell + " " * (width - display_width(cell))
            for cell, width in zip(row, widths, strict=True)
        )
        return "  ".join(cells).rstrip()

    echo(line(header))
    echo("-" * display_width(line(header)))
    for row in rows:
        echo(line(row))
