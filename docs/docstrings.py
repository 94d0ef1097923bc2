"""A griffe extension for the API reference: rubriceng's docstrings as Markdown.

The docstrings are written for ``help()`` and doctest: reST roles (``:func:`x```),
double-backtick literals, ``>>>`` examples and ``::`` literal blocks. This turns them
into Markdown (single backticks, fenced ``pycon`` and code blocks) when mkdocstrings
renders them; the source is unchanged.
"""

from __future__ import annotations

import re
from typing import Any

from griffe import Extension

_ROLE = re.compile(r":(?:func|class|meth|data|mod|attr|exc|obj):`~?([^`]+)`")
_LITERAL = re.compile(r"``([^`]+)``")


def markdown(text: str) -> str:
    """``text`` (a docstring) with reST roles, literals and examples made Markdown."""
    text = _LITERAL.sub(r"`\1`", _ROLE.sub(r"`\1`", text))
    lines = text.split("\n")
    out: list[str] = []
    index = 0
    while index < len(lines):
        line = lines[index]
        if line.lstrip().startswith(">>>"):
            indent = line[: len(line) - len(line.lstrip())]
            block = []
            while index < len(lines) and lines[index].strip():
                block.append(lines[index][len(indent) :])
                index += 1
            out += [f"{indent}```pycon", *(indent + item for item in block), f"{indent}```"]
            continue
        if line.rstrip().endswith("::") and index + 1 < len(lines):
            out.append(line.rstrip()[:-1])
            index += 1
            while index < len(lines) and not lines[index].strip():
                index += 1
            following = lines[index] if index < len(lines) else ""
            body_indent = len(following) - len(following.lstrip())
            block = []
            while index < len(lines) and (
                not lines[index].strip()
                or len(lines[index]) - len(lines[index].lstrip()) >= body_indent
            ):
                block.append(lines[index][body_indent:])
                index += 1
            while block and not block[-1].strip():
                block.pop()
            out += ["", "```", *block, "```", ""]
            continue
        out.append(line)
        index += 1
    return "\n".join(out)


class ReSTToMarkdown(Extension):
    """Rewrites each docstring with :func:`markdown` as griffe loads it."""

    def on_instance(self, *, obj: Any, **kwargs: Any) -> None:
        if obj.docstring is not None:
            obj.docstring.value = markdown(obj.docstring.value)
