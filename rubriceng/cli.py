"""The ``rubriceng`` command line.

Exit codes: 0 success; 1 a rubric, input, plugin or scoring error (printed as located
messages) or a failing test case; 2 a usage error. ``--debug`` shows tracebacks;
``--strict`` turns any plugin failure into an error (for CI).
"""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

import click

from rubriceng.cases import CaseFileError, run_cases
from rubriceng.compare import SAME, compare
from rubriceng.engine import evaluate
from rubriceng.errors import RubricengError
from rubriceng.loader import load_inputs
from rubriceng.model import Indicator
from rubriceng.registry import Registry, default_registry, search_path
from rubriceng.render import display_width
from rubriceng.scaffold import new_plugin

F = TypeVar("F", bound=Callable[..., Any])


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="rubriceng")
@click.option("--strict", is_flag=True, help="Fail on any plugin problem (for CI).")
@click.option("--debug", is_flag=True, help="Show tracebacks.")
@click.pass_context
def main(context: click.Context, strict: bool, debug: bool) -> None:
    """Score budget-performance rubrics (部门整体支出绩效自评) declared as data."""
    context.obj = {"strict": strict, "debug": debug}


def _registry(context: click.Context) -> Registry:
    if context.obj and context.obj.get("strict"):
        return Registry(strict=True, search_path=search_path())
    return default_registry()


def _reported(command: F) -> F:
    """Print rubriceng errors as located messages and exit 1 (tracebacks with --debug)."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except RubricengError as error:
            context = click.get_current_context()
            if context.obj and context.obj.get("debug"):
                raise
            click.echo(f"error: {error}", err=True)
            sys.exit(1)

    return wrapper  # type: ignore[return-value]


_YEAR = click.option(
    "--year", type=int, help="With a rubric id: the version in force in that evaluation year."
)


@main.command()
@click.argument("rubric")
@click.argument("inputs", type=click.Path(dir_okay=False))
@_YEAR
@click.option(
    "--format",
    "output_format",
    default="text",
    show_default=True,
    help="text (a table), json (rubriceng.result/1) or a plugin's format.",
)
@click.option(
    "--lang",
    type=click.Choice(["zh", "en"]),
    default="zh",
    show_default=True,
    help="Indicator names in the text table.",
)
@click.pass_context
@_reported
def score(
    context: click.Context,
    rubric: str,
    inputs: str,
    year: int | None,
    output_format: str,
    lang: str,
) -> None:
    """Score one unit: RUBRIC (a file, an id or id@version) against INPUTS (YAML or JSON).

    \b
    Example:
      rubriceng score cn.gd.huizhou/dept-overall@2020 examples/huizhou-2020-office.yaml
    """
    registry = _registry(context)
    if output_format not in registry.renderers:
        raise click.BadParameter(
            f"{output_format!r} (have: {', '.join(sorted(registry.renderers))})",
            param_hint="--format",
        )
    loaded = registry.load(rubric, year=year)
    unit = load_inputs(inputs)
    result = evaluate(loaded, unit.inputs, unit=unit.unit, document=unit.document)
    click.echo(registry.render(result, output_format, lang))


@main.command(name="list")
@click.option("--level", help="province, city, county, …")
@click.option("--region", help="A region's name (惠州) or code (441300).")
@click.option("--year", type=int, help="Only versions in force in that evaluation year.")
@click.pass_context
@_reported
def list_rubrics(
    context: click.Context, level: str | None, region: str | None, year: int | None
) -> None:
    """List the rubrics the installed plugins offer."""
    entries = _registry(context).rubrics(level=level, region=region, year=year)
    rows = [
        (
            entry.ref,
            entry.level or "",
            " ".join(filter(None, [entry.region_name, entry.region_code])),
            str(entry.in_force or ""),
            entry.plugin,
            entry.title,
        )
        for entry in entries
    ]
    _table(("rubric", "level", "region", "in force", "plugin", "title"), rows)


@main.command()
@click.argument("rubric")
@_YEAR
@click.pass_context
@_reported
def show(context: click.Context, rubric: str, year: int | None) -> None:
    """Show a rubric: its indicators, points, methods and where each comes from."""
    loaded = _registry(context).load(rubric, year=year)
    click.echo(f"{loaded.ref}  {loaded.title}")
    if loaded.extends:
        click.echo(f"extends {loaded.extends}")
    if loaded.in_force:
        click.echo(f"in force {loaded.in_force}")
    click.echo(f"provenance: {_provenance(loaded.provenance, full=True)}")
    rows: list[tuple[str, ...]] = []

    def visit(node: Indicator, depth: int) -> None:
        rows.append(
            (
                "  " * depth + node.name,
                node.id,
                str(node.points),
                node.method or "",
                "" if node.origin == loaded.ref else node.origin or "",
                _provenance(node.provenance, full=False),
            )
        )
        for child in node.children:
            visit(child, depth + 1)

    for top in loaded.indicators:
        visit(top, 0)
    click.echo()
    _table(("indicator", "id", "points", "method", "inherited from", "points / rule"), rows)


@main.command()
@click.pass_context
def plugins(context: click.Context) -> None:
    """List the plugins that loaded (name, version, hooks, rubrics) and what failed."""
    registry = Registry(strict=False, search_path=search_path())
    failures = registry.check()
    offered: dict[str, list[str]] = {}
    for entry in registry.rubrics():
        offered.setdefault(entry.plugin, []).append(entry.ref)
    for info in registry.plugins:
        version = f" {info.version}" if info.version else ""
        dist = f" ({info.distribution})" if info.distribution else ""
        click.echo(f"{info.name}{version}{dist}")
        click.echo(f"  hooks: {', '.join(hook.removeprefix('rubriceng_') for hook in info.hooks)}")
        for ref in offered.get(info.name, []):
            click.echo(f"  rubric: {ref}")
    if failures:
        click.echo(f"\n{len(failures)} problem(s):")
        for failure in failures:
            click.echo(f"  {failure}")
        if context.obj and context.obj.get("strict"):
            sys.exit(1)


@main.command(name="test")
@click.argument("paths", nargs=-1, type=click.Path(exists=True))
@click.option("-v", "--verbose", is_flag=True, help="Name every case, passed or not.")
@click.pass_context
@_reported
def test_cases(context: click.Context, paths: tuple[str, ...], verbose: bool) -> None:
    """Run rule-author test cases (test_*.yaml) in PATHS, or every installed plugin's."""
    registry = _registry(context)
    sources = list(paths) or [path for _, path in registry.test_case_sources]
    passed = failed = 0
    try:
        for outcome in run_cases(list(sources), registry):
            if outcome.passed:
                passed += 1
                if verbose:
                    click.echo(f"ok    {outcome.case.where}: {outcome.case.name}")
            else:
                failed += 1
                click.echo(f"FAIL  {outcome.report()}")
    except CaseFileError as error:
        click.echo(f"error: {error}", err=True)
        sys.exit(1)
    click.echo(f"{passed} passed, {failed} failed")
    if failed or not passed:
        sys.exit(1)


@main.command()
@click.argument("before")
@click.argument("after")
@click.argument("inputs", type=click.Path(dir_okay=False))
@click.option("--all", "show_all", is_flag=True, help="Also list indicators that did not change.")
@click.option("--json", "as_json", is_flag=True, help="Print the comparison as JSON.")
@click.pass_context
@_reported
def diff(
    context: click.Context, before: str, after: str, inputs: str, show_all: bool, as_json: bool
) -> None:
    """Score INPUTS by two rubrics and show the differences, indicator by indicator.

    INPUTS may hold the inputs of both rubrics; each gets those it declares.
    """
    registry = _registry(context)
    unit = load_inputs(inputs)
    comparison = compare(registry.load(before), registry.load(after), unit.inputs, unit=unit.unit)
    if as_json:
        click.echo(json.dumps(comparison.to_dict(), ensure_ascii=False, indent=2))
        return
    rows = []
    for item in comparison.differences:
        if item.status == SAME and not show_all:
            continue
        rows.append(
            (
                item.name,
                item.id,
                str(item.before.score) if item.before else "—",
                str(item.after.score) if item.after else "—",
                f"{item.delta:+}",
                item.status,
            )
        )
    first, second = comparison.before, comparison.after
    rows.append(
        ("合计 total", "", str(first.total), str(second.total), f"{comparison.delta:+}", "")
    )
    _table(
        ("indicator", "id", f"{first.rubric_id}@{first.rubric_version}",
         f"{second.rubric_id}@{second.rubric_version}", "Δ", ""),
        rows,
    )  # fmt: skip


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
@click.option("--year", type=int, help="First evaluation year (default: this year).")
def new_plugin_command(
    name: str,
    directory: Path,
    rubric_id: str | None,
    level: str,
    region: str,
    code: str,
    year: int | None,
) -> None:
    """Write a working plugin skeleton, rubriceng-NAME: one rubric, its test cases."""
    try:
        skeleton = new_plugin(
            name, directory, rubric_id=rubric_id, level=level, region=region, code=code, year=year
        )
    except (ValueError, FileExistsError) as error:
        raise click.UsageError(str(error)) from None
    for file in skeleton.files:
        click.echo(f"wrote {file}")
    click.echo(
        f"\nnext:\n  pip install -e {skeleton.root}\n"
        f"  rubriceng test {skeleton.root / 'src' / skeleton.package / 'tests'}"
    )


def _provenance(provenance: Any, *, full: bool) -> str:
    if not provenance:
        return ""
    points, rule = provenance.get("points"), provenance.get("rule")
    text = points if points == rule else f"{points} / {rule}"
    if full:
        sources = "; ".join(provenance.get("sources", []))
        text += f" — {sources}" if sources else ""
        if provenance.get("reasoning"):
            text += f"\n  {provenance['reasoning']}"
    return str(text or "")


def _table(header: tuple[str, ...], rows: Sequence[tuple[str, ...]]) -> None:
    widths = [max(display_width(row[i]) for row in [header, *rows]) for i in range(len(header))]

    def line(row: tuple[str, ...]) -> str:
        cells = (
            cell + " " * (width - display_width(cell))
            for cell, width in zip(row, widths, strict=True)
        )
        return "  ".join(cells).rstrip()

    click.echo(line(header))
    click.echo("-" * display_width(line(header)))
    for row in rows:
        click.echo(line(row))
