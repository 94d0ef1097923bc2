"""The documentation stays true: every example in it runs, and its printed output is checked.

- ```pycon blocks run as doctests (from the repository root);
- ```python, ```yaml and ```json blocks that are fragments compile or parse;
- ```console blocks: each ``$ rubriceng …`` line runs, and its output must be the lines
  below it (``...`` stands for any lines);
- rubric excerpts in the scoring-method pages are the bundled rubric's text;
- the plugin tutorial is followed from top to bottom in ``tests/test_tutorial.py``;
- the generated reference covers every key of the schema.
"""

from __future__ import annotations

import doctest
import json
import re
import shlex
import sys
from decimal import Decimal
from pathlib import Path

import attrs
import pytest
import yaml
from click.testing import CliRunner

import rubriceng
from rubriceng.cli import main
from rubriceng.language.schema import indicator_schema, rubric_schema
from tests.conftest import HUIZHOU, HUIZHOU_UNIT, PLUGINS_INSTALLED, ROOT

DOCS = ROOT / "docs"
PAGES = sorted(DOCS.rglob("*.md"))
FENCE = re.compile(r"^```(\w+)\n(.*?)^```$", re.MULTILINE | re.DOTALL)
sys.path.insert(0, str(DOCS))
import generate  # noqa: E402  (docs/generate.py, the MkDocs hook)


def _blocks(page: Path, language: str) -> list[str]:
    text = page.read_text(encoding="utf-8")
    return [body for kind, body in FENCE.findall(text) if kind == language]


def _page_id(page: Path) -> str:
    return str(page.relative_to(DOCS))


@pytest.mark.parametrize("page", [p for p in PAGES if _blocks(p, "pycon")], ids=_page_id)
def test_python_examples_run_and_print_what_the_page_says(page, monkeypatch):
    monkeypatch.chdir(ROOT)
    flags = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE
    text = "\n\n".join(_blocks(page, "pycon"))
    test = doctest.DocTestParser().get_doctest(text, {}, str(page), str(page), 0)
    runner = doctest.DocTestRunner(optionflags=flags)
    runner.run(test)
    assert runner.failures == 0 and test.examples


def _commands(page: Path) -> list[tuple[str, list[str]]]:
    found = []
    for body in _blocks(page, "console"):
        command, expected = None, []
        for line in body.splitlines():
            if line.startswith("$ "):
                if command is not None:
                    found.append((command, expected))
                command, expected = line[2:], []
            else:
                expected.append(line)
        if command is not None:
            found.append((command, expected))
    return found


def _matches(expected: list[str], got: list[str]) -> bool:
    """``got`` is ``expected``, where a line ``...`` is any lines and ``…`` any text."""
    pattern = "".join(
        r"(?:.*\n)*?"
        if line == "..."
        else ".*?".join(map(re.escape, line.rstrip().split("…"))) + r"\n"
        for line in expected
    )
    return re.fullmatch(pattern, "".join(line.rstrip() + "\n" for line in got)) is not None


# The plugin tutorial's commands build on each other: tests/test_tutorial.py follows it.
CONSOLE = [
    (page, command, expected)
    for page in PAGES
    if page.name != "plugins.md"
    for command, expected in _commands(page)
]


@pytest.mark.parametrize(
    ("page", "command", "expected"),
    CONSOLE,
    ids=[f"{_page_id(p)}: {c[:60]}" for p, c, _ in CONSOLE],
)
def test_shell_examples_print_what_the_page_says(page, command, expected, tmp_path, monkeypatch):
    if not PLUGINS_INSTALLED and any(" gd_" in line for line in expected):
        pytest.skip("the output names the bundled plugins: install them")
    for name in ("examples", "tests", "plugins"):
        (tmp_path / name).symlink_to(ROOT / name)
    monkeypatch.chdir(tmp_path)
    words = shlex.split(command)
    assert words[0] == "rubriceng", command
    result = CliRunner().invoke(main, words[1:])
    assert _matches(expected, result.output.splitlines()), result.output


METHOD_PAGES = sorted((DOCS / "methods").glob("*.md"))
PROJECT_RUBRIC = ROOT / "rubrics" / "cn" / "project-self-evaluation-2020.yaml"


@pytest.mark.parametrize("page", [p for p in METHOD_PAGES if p.name != "index.md"], ids=_page_id)
def test_method_pages_quote_the_bundled_rubric_and_name_their_method(page):
    source = PROJECT_RUBRIC if page.stem == "target-completion" else HUIZHOU
    document = yaml.safe_load(source.read_text(encoding="utf-8"))
    nodes = {}

    def visit(items):
        for item in items:
            nodes[item["id"]] = item
            visit(item.get("children", ()))

    visit(document["indicators"])
    (excerpt,) = _blocks(page, "yaml")
    (quoted,) = yaml.safe_load(excerpt)
    assert quoted == nodes[quoted["id"]]
    text = page.read_text(encoding="utf-8")
    rule = re.search(r"\*\*(.+?)\*\* \(([\d.]+) points\)\. The published rule:\n\n> (.+)\n", text)
    if rule is not None:  # the indicator the YAML shows, by its name, points and rule text
        name, points, standard = rule.groups()
        assert (name, Decimal(points)) == (quoted["name"], Decimal(str(quoted["points"])))
        assert standard == quoted["standard"].strip()
    else:
        assert page.stem == "target-completion", "a method page quotes its rule"
    key = page.stem.replace("-", "_")
    assert key in quoted and key in generate.BUILTIN.methods
    assert f"<!-- generated: method:{key} -->" in page.read_text(encoding="utf-8")


def test_the_reference_covers_every_key_of_the_schema():
    vocabulary = generate.BUILTIN
    schema, _ = rubric_schema(
        vocabulary.methods, tuple(vocabulary.input_types), vocabulary.numeric_types
    )
    text = generate.rubric_schema_reference()
    keys = set(schema) | set(indicator_schema(vocabulary.methods))
    assert {key for key in keys if f"| `{key}` |" not in text} == set()
    pages = generate.expand((DOCS / "reference.md").read_text(encoding="utf-8"), "reference.md")
    assert "<!-- generated" not in pages
    for key in vocabulary.methods:
        assert f"[`{key}`](methods/{key.replace('_', '-')}.md)" in pages


def test_the_quick_start_and_ci_run_the_readmes_two_commands():
    """The README opens with two commands; the quick start shows the same two, and CI
    runs the README's test command and its example (see .ci/run)."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    commands = re.match(r"# rubriceng\n\n```sh\n(.*?)```", readme, re.DOTALL)
    assert commands is not None, "the README must open with its commands"
    (shown,) = _blocks(DOCS / "quickstart.md", "sh")
    assert shown == commands.group(1)
    run, test = commands.group(1).splitlines()
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert test.endswith(".venv/bin/python -m pytest -q")
    assert '"$venv/bin/python" -m pytest -q ||' in ci
    assert run.endswith(
        ".venv/bin/rubriceng score cn.gd.huizhou/dept-overall@2020 "
        "examples/huizhou-2020-office.yaml"
    )
    assert (
        '"$venv/bin/rubriceng" score cn.gd.huizhou/dept-overall@2020 \\\n'
        "  examples/huizhou-2020-office.yaml"
    ) in ci


class _SparkFrame:
    """What the Spark recipe uses of a Spark DataFrame, over pandas parts."""

    def __init__(self, parts):
        self.parts = parts

    def mapInPandas(self, function, schema):  # Spark's name
        return _SparkFrame([out for part in self.parts for out in function(iter([part]))])

    def collect(self):
        return [row for part in self.parts for row in part.to_dict("records")]


def test_the_spark_recipe_scores_parts_as_the_whole_batch():
    pandas = pytest.importorskip("pandas")
    (recipe,) = [b for b in _blocks(DOCS / "performance.md", "python") if "mapInPandas" in b]
    units = pandas.read_csv(ROOT / "examples" / "huizhou-2020-units.csv", dtype={"unit": str})
    namespace = {"units": _SparkFrame([units.iloc[:2], units.iloc[2:]])}
    exec(compile(recipe, "performance.md", "exec"), namespace)
    rows = namespace["scores"].collect()
    rubric = rubriceng.find_rubric(namespace["RUBRIC"])
    whole = rubriceng.evaluate_table(rubric, units.set_index("unit"))
    assert [row["unit"] for row in rows] == list(whole.units)
    assert [Decimal(row["total"]) for row in rows] == whole.totals()
    assert [row["fixed_asset_utilisation"] for row in rows] == [
        str(score) for score in whole.to_frame()["fixed_asset_utilisation"]
    ]
    # each part on its own would score differently: the combined peer means are what count
    alone = [
        rubriceng.evaluate_table(rubric, part.set_index("unit")).totals()
        for part in (units.iloc[:2], units.iloc[2:])
    ]
    assert alone[0] + alone[1] != whole.totals()


def test_the_screenshots_the_docs_show_exist():
    for page in PAGES:
        for image in re.findall(r"!\[[^\]]*\]\(([^)]+)\)", page.read_text(encoding="utf-8")):
            assert (page.parent / image).is_file(), (page, image)


@pytest.mark.parametrize("page", PAGES, ids=_page_id)
def test_every_other_code_block_is_well_formed(page):
    """Fragments that cannot run alone (a tutorial's excerpts, a recipe for a Spark
    cluster) are at least valid: python compiles, yaml and json parse, and the result
    layout shown in results.md has the keys a real result has."""
    for block in _blocks(page, "python"):
        compile(block, str(page), "exec")
    for block in _blocks(page, "yaml"):
        assert yaml.safe_load(block) is not None
    for block in _blocks(page, "json"):
        shown = json.loads(block)
        if "error" in shown:  # the service's error layout (docs/service.md)
            assert set(shown) == {"error", "message", "problems"}
            fields = set(attrs.fields_dict(rubriceng.Problem)) - {"params"} | {"text"}
            assert all(set(problem) <= fields for problem in shown["problems"])
            continue
        real = rubriceng.evaluate(
            rubriceng.load_rubric(HUIZHOU), rubriceng.load_inputs(HUIZHOU_UNIT).inputs
        ).to_dict()
        assert set(shown) == set(real)
        assert set(shown["indicators"][0]) <= set(real["indicators"][0]) | {"children"}
