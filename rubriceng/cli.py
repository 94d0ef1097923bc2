"""The ``rubriceng`` command line.

Exit codes: 0 success; 1 a rubric, input or scoring error (printed as located
messages); 2 a usage error. ``--debug`` shows tracebacks.
"""

from __future__ import annotations

import sys

import click

from rubriceng.engine import evaluate
from rubriceng.errors import RubricengError
from rubriceng.loader import find_rubric, load_inputs
from rubriceng.render import render_json, render_text


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="rubriceng")
def main() -> None:
    """Score budget-performance rubrics (部门整体支出绩效自评) declared as data."""


@main.command()
@click.argument("rubric")
@click.argument("inputs", type=click.Path(dir_okay=False))
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="text: a table for people; json: rubriceng.result/1.",
)
@click.option(
    "--lang",
    type=click.Choice(["zh", "en"]),
    default="zh",
    show_default=True,
    help="Indicator names in the text table.",
)
@click.option("--debug", is_flag=True, help="Show tracebacks.")
def score(rubric: str, inputs: str, output_format: str, lang: str, debug: bool) -> None:
    """Score one unit: RUBRIC (a file or a rubric id) against INPUTS (YAML or JSON).

    \b
    Example:
      rubriceng score rubrics/cn.gd.huizhou/dept-overall-2020.yaml \\
                      examples/huizhou-2020-office.yaml
    """
    try:
        loaded = find_rubric(rubric)
        unit = load_inputs(inputs)
        result = evaluate(loaded, unit.inputs, unit=unit.unit, document=unit.document)
    except RubricengError as error:
        if debug:
            raise
        click.echo(f"error: {error}", err=True)
        sys.exit(1)
    if output_format == "json":
        click.echo(render_json(result))
    else:
        click.echo(render_text(result, english=lang == "en"))
