"""Pages generated from the code, so that they cannot drift from it.

MkDocs runs this file as a hook (``hooks:`` in mkdocs.yml): a page holding a marker
``<!-- generated: NAME -->`` gets the text of ``GENERATORS[NAME]()`` in its place.

- ``rubric-schema`` — the rubric language reference, from the cerberus schema rubriceng
  checks every rubric document against (built-in methods and input types);
- ``methods`` — the scoring methods with their one-line summaries;
- ``input-types`` and ``functions`` — what inputs and formulas may use;
- ``problem-codes`` is left to the hand-written errors page.

It also writes the JSON Schemas in ``docs/schemas`` (``python docs/generate.py``).
"""

from __future__ import annotations

import inspect
import json
import re
import sys
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

from rubriceng.host.registry import Registry
from rubriceng.language.schema import rubric_schema
from rubriceng.outputs.schemas import PUBLISHED

BUILTIN = Registry(entry_points=False).vocabulary
"""The words of the built-in plugins, which the reference pages list."""

DOCS = Path(__file__).resolve().parent
MARKER = re.compile(r"<!-- generated: ([a-z_:-]+) -->")

_CONSTRAINTS = (
    "allowed",
    "regex",
    "min",
    "max",
    "minlength",
    "maxlength",
    "empty",
    "nullable",
    "credit_max",
)


def _type(rules: Mapping[str, Any]) -> str:
    kind = rules.get("type", "any")
    kinds = kind if isinstance(kind, list) else [kind]
    words = {"decimal": "number", "formula": "formula", "dict": "mapping", "string": "text"}
    return " or ".join(words.get(str(k), str(k)) for k in kinds)


def _constraints(rules: Mapping[str, Any]) -> str:
    found = []
    for key in _CONSTRAINTS:
        if key not in rules:
            continue
        value = rules[key]
        if key == "allowed":
            found.append("one of " + ", ".join(f"`{item}`" for item in value))
        elif key == "regex":
            found.append(f"matches `{value}`")
        elif key == "empty" and value is False:
            found.append("not empty")
        elif key == "nullable" and value:
            found.append("may be `null`")
        elif key in ("min", "max", "minlength", "maxlength", "credit_max"):
            word = {
                "min": "≥",
                "max": "≤",
                "minlength": "at least",
                "maxlength": "at most",
                "credit_max": "≤",
            }[key]
            plural = "" if value == 1 else "s"
            found.append(f"{word} {value}" + (f" item{plural}" if "length" in key else ""))
    return "; ".join(found)


def _anchor(title: str) -> str:
    """The id MkDocs gives a heading (Python-Markdown's default slugify)."""
    return re.sub(r"[-\s]+", "-", re.sub(r"[^\w\s-]", "", title.lower()).strip())


def _sections(
    title: str, schema: Mapping[str, Any], named: Mapping[str, str]
) -> Iterator[tuple[str, list[str]]]:
    """Markdown sections: one table for ``schema``, then one per nested mapping."""
    rows = ["| key | type | required | constraints | contents |", "|---|---|---|---|---|"]
    nested: list[tuple[str, Mapping[str, Any]]] = []
    for key, rules in schema.items():
        contents = ""
        inner = rules.get("schema")
        if rules.get("type") == "list" and isinstance(inner, Mapping):
            rules_inner = inner
            if isinstance(rules_inner.get("schema"), str):
                target = named[rules_inner["schema"]]
                contents = f"a list of [{target}](#{_anchor(target)})"
            elif isinstance(rules_inner.get("schema"), Mapping):
                child = f"{title} › {key}[]"
                nested.append((child, rules_inner["schema"]))
                contents = f"a list of [{key} items](#{_anchor(child)})"
            else:
                contents = f"a list of {_type(rules_inner)}"
                extra = _constraints(rules_inner)
                contents += f" ({extra})" if extra else ""
        elif rules.get("type") == "dict" and isinstance(inner, Mapping):
            child = f"{title} › {key}"
            nested.append((child, inner))
            contents = f"[{key}](#{_anchor(child)})"
        elif "valuesrules" in rules:
            values = rules["valuesrules"]
            if isinstance(values.get("schema"), Mapping):
                child = f"{title} › {key}.*"
                nested.append((child, values["schema"]))
                contents = (
                    f"ids (`{rules['keysrules'].get('regex', '')}`) to [entries](#{_anchor(child)})"
                )
            else:
                contents = f"ids to {_type(values)}"
        required = "yes" if rules.get("required") else ""
        rows.append(
            f"| `{key}` | {_type(rules)} | {required} | {_constraints(rules)} | {contents} |"
        )
    yield title, rows
    for child, inner in nested:
        yield from _sections(child, inner, named)


def rubric_schema_reference() -> str:
    """Every key of a rubric document, generated from the schema rubriceng checks."""
    vocabulary = BUILTIN
    schema, registry = rubric_schema(
        vocabulary.methods, tuple(vocabulary.input_types), vocabulary.numeric_types
    )
    named = {"indicator": "An indicator"}
    out: list[str] = []
    for title, rows in [
        *_sections("A rubric document", schema, named),
        *_sections("An indicator", registry["indicator"], named),
    ]:
        out += [f"### {title}", "", *rows, ""]
    return "\n".join(out)


def methods_table(base: str = "") -> str:
    """The built-in scoring methods: the key an indicator gives, and what it does; each
    links to its page (``base`` leads from the page to the docs folder)."""
    rows = ["| key | what it scores |", "|---|---|"]
    for key, method in BUILTIN.methods.items():
        page = f"{base}methods/{key.replace('_', '-')}.md"
        rows.append(f"| [`{key}`]({page}) | {method.summary} |")
    return "\n".join(rows)


def input_types_table() -> str:
    """The built-in input types."""
    rows = ["| type | values |", "|---|---|"]
    for name, kind in BUILTIN.input_types.items():
        rows.append(f"| `{name}` | {kind.summary} |")
    return "\n".join(rows)


def functions_table() -> str:
    """The functions formulas may call, with the first line of each one's docstring."""
    rows = ["| function | what it returns |", "|---|---|"]
    for name, function in sorted(BUILTIN.functions.items()):
        doc = (inspect.getdoc(function) or "").replace("``", "`").splitlines()
        rows.append(f"| `{name}` | {doc[0] if doc else ''} |")
    return "\n".join(rows)


def method_keys(key: str) -> str:
    """What an indicator writes under a method's key, from the method's cerberus rules."""
    rules = BUILTIN.methods[key].rules
    method = BUILTIN.methods[key]
    head = f"An indicator scored this way gives `{key}:`"
    if method.needs_value:
        head += " and a `value:` formula"
    inner = rules.get("schema")
    if rules.get("type") == "dict" and isinstance(inner, Mapping):
        sections = list(_sections(f"{key}", inner, {}))
    elif rules.get("type") == "list" and isinstance(inner, Mapping) and "schema" in inner:
        head += f", a list of entries ({_constraints(rules) or 'any number'})"
        sections = list(_sections(f"{key}[]", inner["schema"], {}))
    else:
        return (
            head
            + f": {_type(rules)}"
            + (f" ({_constraints(rules)})" if _constraints(rules) else "")
            + "."
        )
    out = [head + ":", ""]
    for index, (title, rows) in enumerate(sections):
        # a nested table's title carries the anchor its parent's row links to
        named = [f"**{title}**", f"{{: #{_anchor(title)} }}", ""]
        out += ([] if index == 0 else named) + rows + [""]
    return "\n".join(out).rstrip()


GENERATORS: Mapping[str, Callable[..., str]] = {
    "rubric-schema": rubric_schema_reference,
    "methods": methods_table,
    "input-types": input_types_table,
    "functions": functions_table,
}


def generated(name: str, base: str = "") -> str:
    """The text a marker stands for, on a page ``base`` away from the docs folder."""
    if name.startswith("method:"):
        return method_keys(name.removeprefix("method:"))
    if name == "methods":
        return methods_table(base)
    return GENERATORS[name]()


def expand(markdown: str, page: str = "index.md") -> str:
    """``markdown`` (of ``page``, a path in docs/) with each marker replaced by its text."""
    base = "../" * page.count("/")
    return MARKER.sub(lambda match: generated(match.group(1), base), markdown)


def on_page_markdown(markdown: str, page: Any, **_: Any) -> str:
    """The MkDocs hook."""
    return expand(markdown, page.file.src_uri)


def write_schemas(root: Path = DOCS / "schemas") -> list[Path]:
    """Write the published JSON Schemas: results, batches, each bundled rubric's inputs."""
    import rubriceng

    written = []
    (root / "inputs").mkdir(parents=True, exist_ok=True)
    for name, schema in PUBLISHED.items():
        written.append(_write_json(root / name, schema))
    for entry in rubriceng.default_registry().rubrics():
        rubric = rubriceng.find_rubric(entry.ref)
        name = f"{rubric.id.replace('/', '--')}@{rubric.version}.json"
        written.append(_write_json(root / "inputs" / name, rubriceng.inputs_schema(rubric)))
    return written


def _write_json(path: Path, data: Any) -> Path:
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return path


if __name__ == "__main__":
    for path in write_schemas():
        print(f"wrote {path.relative_to(DOCS.parent)}")
    sys.exit(0)
