"""The command line in the user's language: its help, and click's own words.

The English of each command is its docstring and its options' ``help`` in
:mod:`rubriceng.cli`; the Chinese is :data:`rubriceng.outputs.words.COMMAND_HELP`. What
click prints itself — ``Usage:``, ``Options``, ``Error: Missing argument`` — it marks for
gettext; :func:`click_speaks` gives those words in Chinese while a command runs in
Chinese (``--lang``, else ``$RUBRICENG_LANG``, else Chinese). Chinese help is laid out by
display width, a Chinese character taking two columns.
"""

from __future__ import annotations

import contextlib
import contextvars
import functools
import gettext
import re
import sys
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

import click

from rubriceng.outputs.words import (
    CLICK_WORDS,
    COMMAND_HELP,
    LANGUAGES,
    language,
    unknown_environment,
)
from rubriceng.outputs.words import term as said
from rubriceng.sanitize import display_width, printable

_SPOKEN: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "rubriceng_click_language", default=None
)
_CLICK_MODULES = (
    "click.core",
    "click.decorators",
    "click.exceptions",
    "click.formatting",
    "click.parser",
    "click.types",
    "click.termui",
    "click.utils",
)


def lang_in(args: Sequence[str]) -> str | None:
    """The language ``--lang`` chooses in a command's arguments, if any (before click
    reads them: ``--help`` is answered before other options are).

    >>> lang_in(["score", "--lang", "en", "--help"]), lang_in(["--lang=zh"]), lang_in([])
    ('en', 'zh', None)
    """
    for index, arg in enumerate(args):
        if arg == "--":
            break
        if arg == "--lang" and index + 1 < len(args) and args[index + 1] in LANGUAGES:
            return args[index + 1]
        if arg.startswith("--lang=") and arg[7:] in LANGUAGES:
            return arg[7:]
    return None


def _word(message: str) -> str:
    """click's ``gettext``: its message in the language spoken."""
    return CLICK_WORDS.get(message, message) if _SPOKEN.get() == "zh" else message


def _words(singular: str, plural: str, count: int) -> str:
    """click's ``ngettext``."""
    return _word(singular if count == 1 else plural)


@contextlib.contextmanager
def click_speaks(lang: str) -> Iterator[None]:
    """While inside, click prints its words in ``lang`` (its ``gettext`` calls are
    answered from :data:`~rubriceng.outputs.words.CLICK_WORDS`)."""
    token = _SPOKEN.set(lang)
    swapped = []
    for name in _CLICK_MODULES:
        module = sys.modules.get(name)
        if module is None:
            continue
        for attribute, ours in (("_", _word), ("ngettext", _words)):
            theirs = module.__dict__.get(attribute)
            if theirs in (gettext.gettext, gettext.ngettext):
                setattr(module, attribute, ours)
                swapped.append((module, attribute, theirs))
    try:
        yield
    finally:
        for module, attribute, theirs in swapped:
            setattr(module, attribute, theirs)
        _SPOKEN.reset(token)


def spoken() -> str:
    """The language the command line speaks now."""
    return _SPOKEN.get() or language()


# -- help ----------------------------------------------------------------------------------


def _key(ctx: click.Context) -> str:
    """A command's key in COMMAND_HELP: its path below ``rubriceng`` (``targets check``)."""
    names = []
    while ctx.parent is not None:
        names.append(ctx.info_name or "")
        ctx = ctx.parent
    return " ".join(reversed(names))


def _chinese(key: str, param: click.Parameter) -> str | None:
    """An option's Chinese help, by command and option, or by option alone."""
    name = max(param.opts, key=len) if param.opts else ""
    found = COMMAND_HELP.get(f"{key} {name}") or COMMAND_HELP.get(name)
    if found is None and isinstance(param, click.Option) and param.help:
        found = CLICK_WORDS.get(param.help)  # --help, --version
    return found


def _first_sentence(text: str, limit: int) -> str:
    """A command's short help: its help's first sentence, at most ``limit`` columns."""
    sentence = re.split(r"(?<=。)", text.split("\n", 1)[0], maxsplit=1)[0]
    while display_width(sentence) > limit:
        sentence = sentence[:-2] + "…"
    return sentence


@contextlib.contextmanager
def _in_chinese(command: click.Command, ctx: click.Context) -> Iterator[None]:
    """While inside, ``command``'s help, its options' and its commands' are Chinese."""
    key = _key(ctx)
    saved: list[tuple[Any, str, Any]] = [(command, "help", command.help)]
    command.help = COMMAND_HELP.get(key, command.help)
    for param in command.get_params(ctx):
        chinese = _chinese(key, param)
        if chinese is not None:
            saved.append((param, "help", getattr(param, "help", None)))
            param.help = chinese
        default = COMMAND_HELP.get(f"{param.name} default")
        if default is not None and isinstance(getattr(param, "show_default", None), str):
            saved.append((param, "show_default", param.show_default))  # type: ignore[attr-defined]
            param.show_default = default  # type: ignore[attr-defined]
    if isinstance(command, click.Group):
        for name, sub in command.commands.items():
            path = f"{key} {name}".strip()
            chinese = COMMAND_HELP.get(f"{path} short") or COMMAND_HELP.get(path)
            if chinese is not None:
                saved.append((sub, "short_help", sub.short_help))
                sub.short_help = _first_sentence(chinese, 56)
    try:
        yield
    finally:
        for owner, attribute, value in reversed(saved):
            setattr(owner, attribute, value)


def _wrap(text: str, width: int, indent: str = "", later: str = "") -> str:
    """``text`` in lines of at most ``width`` columns: click's rules (paragraphs apart by
    a blank line; one that starts with ``\\b`` as it is), by display width."""
    paragraphs = re.split(r"\n\s*\n", text.strip("\n"))
    out = []
    for paragraph in paragraphs:
        if paragraph.startswith("\b"):
            lines = paragraph.split("\n")[1:]
            out.append("\n".join(f"{indent}{line}".rstrip() for line in lines))
            continue
        out.append(_fill(" ".join(paragraph.split("\n")), width, indent, later))
    return "\n\n".join(out)


_WIDE = "\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef"


@functools.cache
def _tokens() -> re.Pattern[str]:
    """A Chinese character or a run of other text, with the punctuation that may not end
    a line before it and what may not start one after it; or spaces. (Compiled when
    first needed: its character ranges take milliseconds to compile.)"""
    return re.compile(
        rf"[「（《『]*(?:[{_WIDE}][，。、；：！？）」』》]*|[^\s{_WIDE}]+[，。、；：！？）」』》]*)|\s+"
    )


def _fill(text: str, width: int, indent: str, later: str) -> str:
    lines: list[str] = []
    line, used = indent, display_width(indent)
    for token in _tokens().findall(text):
        size = display_width(token)
        if token.isspace():
            if used > display_width(indent if not lines else later):
                line, used = line + " ", used + 1
            continue
        if used + size > width and line.strip():
            lines.append(line.rstrip())
            line = later
            used = display_width(later)
        line, used = line + token, used + size
    lines.append(line.rstrip())
    return "\n".join(lines)


class ChineseFormatter(click.HelpFormatter):
    """click's help formatter, with lines measured in display columns and Chinese
    punctuation (``用法：``, ``选项：``)."""

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        super().write_usage(prog, args, _word("Usage:") if prefix is None else prefix)

    def write_heading(self, heading: str) -> None:
        self.write(f"{'':>{self.current_indent}}{heading}：\n")

    def write_text(self, text: str) -> None:
        indent = " " * self.current_indent
        self.write(_wrap(text, self.width, indent, indent))
        self.write("\n")

    def write_dl(
        self, rows: Iterable[tuple[str, str]], col_max: int = 30, col_spacing: int = 2
    ) -> None:
        rows = list(rows)
        first = min(max((display_width(term) for term, _ in rows), default=0), col_max)
        column = first + col_spacing
        for term, text in rows:
            self.write(f"{'':>{self.current_indent}}{term}")
            if not text:
                self.write("\n")
                continue
            if display_width(term) <= first:
                self.write(" " * (column - display_width(term)))
            else:
                self.write("\n" + " " * (column + self.current_indent))
            width = max(self.width - column - 2 - self.current_indent, 10)
            lines = _wrap(text, width).splitlines() or [""]
            self.write(f"{lines[0]}\n")
            for line in lines[1:]:
                self.write(f"{'':>{column + self.current_indent}}{line}\n")


class Context(click.Context):
    """A context whose help is laid out for the language spoken."""

    def make_formatter(self) -> click.HelpFormatter:
        if spoken() == "zh":
            return ChineseFormatter(width=self.terminal_width, max_width=self.max_content_width)
        return super().make_formatter()


class Command(click.Command):
    """A command whose help is in the language spoken."""

    context_class = Context

    def format_help(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        if spoken() != "zh":
            return super().format_help(ctx, formatter)
        with _in_chinese(self, ctx):
            return super().format_help(ctx, formatter)

    def get_help_option(self, ctx: click.Context) -> click.Option | None:
        option = super().get_help_option(ctx)
        if option is not None:  # made once, in the language spoken then
            option.help = _word("Show this message and exit.")
        return option


class Group(Command, click.Group):
    """A group of commands whose help, and click's words, are in the language spoken:
    ``--lang`` among the arguments, else ``$RUBRICENG_LANG``, else Chinese."""

    command_class = Command
    group_class = type

    def main(self, args: Sequence[str] | None = None, *rest: Any, **options: Any) -> Any:
        given = lang_in(sys.argv[1:] if args is None else list(args))
        lang = given or (LANGUAGES[0] if unknown_environment() else language())
        with click_speaks(lang):
            return super().main(args, *rest, **options)

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        # a $RUBRICENG_LANG that names no language is a usage error, told in each language
        # (which one the user reads is what it failed to say); --lang anywhere overrides it
        value = None if lang_in(args) else unknown_environment()
        nul = next((arg for arg in args if "\x00" in arg), None)  # (main() called by a program)
        if nul is not None and not ctx.resilient_parsing:
            raise click.UsageError(
                said("nul argument", lang_in(args), value=printable(nul)[:60]), ctx
            )
        rest = super().parse_args(ctx, args)
        if value is not None and not ctx.resilient_parsing:
            have = ", ".join(map(repr, LANGUAGES))
            told = [said("lang variable", lang, value=value, have=have) for lang in LANGUAGES]
            raise click.UsageError("\n".join(told), ctx)
        return rest
