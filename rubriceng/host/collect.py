"""Loading plugins and collecting what they contribute, one plugin's failure at a time.

:class:`PluginSet` wraps a pluggy ``PluginManager``. It registers the built-in plugin,
then the installed plugins (entry-point group ``rubriceng``, by entry-point name), then
those an application registers in code. :meth:`PluginSet.collect` calls every hook of
every plugin *separately*: a plugin that fails to import, whose hook raises or returns
something unusable is recorded as a :class:`PluginFailure` naming the plugin, the hook
and the problem, and the other plugins are unaffected. In strict mode any failure
raises :class:`PluginError` instead.
"""

from __future__ import annotations

import functools
import importlib.metadata
import inspect
import operator
import os
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any

import attrs
import pluggy

from rubriceng.errors import Problem
from rubriceng.formula.functions import RESERVED_FUNCTION_NAMES
from rubriceng.host import hookspecs
from rubriceng.host.guards import (
    PluginRaised,
    guard_function,
    guard_input_type,
    guard_method,
    guard_renderer,
    plugin_call,
)
from rubriceng.inputs.types import InputType
from rubriceng.language.schema import indicator_schema, make_validator
from rubriceng.language.vocabulary import Vocabulary
from rubriceng.methods.base import Method
from rubriceng.outputs.text import Renderer
from rubriceng.outputs.words import Phrase, term
from rubriceng.sanitize import brief

HOOKS = (
    "rubriceng_rubrics",
    "rubriceng_scoring_methods",
    "rubriceng_formula_functions",
    "rubriceng_input_types",
    "rubriceng_renderers",
    "rubriceng_test_cases",
)
"""Every hook a plugin may implement (see :mod:`rubriceng.host.hookspecs`)."""

BUILTIN_PLUGIN = "rubriceng"

BUILTIN_PLUGINS = {
    BUILTIN_PLUGIN: "rubriceng.host.builtin",
    "rubriceng.targets": "rubriceng.targets.hooks",
}
"""The plugins rubriceng is made of, by name: each a module that contributes through the
hooks, registered first and in this order, and trusted (no guard around what they give)."""
"""The name the built-in plugin is registered under."""

_NAME = re.compile(r"[a-z][a-z0-9_]*\Z")

_UNSAFE_CALLABLES = frozenset(
    id(item)
    for item in (
        eval,
        exec,
        compile,
        open,
        getattr,
        setattr,
        delattr,
        globals,
        locals,
        vars,
        __import__,
        input,
        breakpoint,
        type,
        object,
        memoryview,
        help,
        os.system,
        os.popen,
        os.remove,
        os.unlink,
        pow,
    )
)

_UNSAFE_MODULES = frozenset(
    {
        "builtins",
        "os",
        "posix",
        "nt",
        "sys",
        "subprocess",
        "shutil",
        "io",
        "socket",
        "importlib",
        "ctypes",
        "pickle",
        "marshal",
        "operator",
        "_operator",
        "inspect",
        "gc",
        "signal",
        "threading",
        "multiprocessing",
        "pathlib",
        "tempfile",
        "runpy",
    }
)
"""Modules whose functions are refused as formula functions (a few builtins excepted)."""

_SAFE_BUILTINS = frozenset(id(item) for item in (abs, min, max, len, round, sum, all, any))


@attrs.frozen
class PluginFailure:
    """A plugin that could not be imported, or one of whose contributions was refused."""

    plugin: str
    hook: str
    """The hook concerned, or ``import`` when the plugin did not import."""
    message: str
    said: Phrase | None = attrs.field(default=None, eq=False, repr=False)
    """``message`` in each language, where rubriceng wrote it (a plugin's own exception is
    said as it is)."""

    @classmethod
    def said_as(cls, plugin: str, hook: str, said: Phrase) -> PluginFailure:
        """A failure rubriceng words, in every language (its ``message`` is the English)."""
        return cls(plugin, hook, said.text("en"), said)

    def __str__(self) -> str:
        return f"plugin {self.plugin!r} ({self.hook}): {self.message}"

    def text(self, lang: str | None = None) -> str:
        """The failure in ``lang`` (default: the current language)."""
        message = self.message if self.said is None else self.said.text(lang)
        return term(
            "plugin failure", lang, plugin=repr(self.plugin), hook=self.hook, message=message
        )

    def problem(self) -> Problem:
        """The failure as a :class:`~rubriceng.errors.Problem` (code ``plugin-failed``)."""
        return Problem("plugin-failed", str(self))


@attrs.frozen
class PluginInfo:
    """A registered plugin: its name, its distribution and version, the hooks it has."""

    name: str
    hooks: tuple[str, ...]
    distribution: str | None = None
    version: str | None = None


@attrs.frozen
class Contributions:
    """Everything the plugins contributed, resolved once."""

    vocabulary: Vocabulary
    renderers: Mapping[str, Renderer]
    rubric_sources: tuple[tuple[str, hookspecs.RubricSource], ...]
    case_sources: tuple[tuple[str, str], ...]
    plugins: tuple[PluginInfo, ...]
    failures: tuple[PluginFailure, ...]


class PluginSet:
    """The plugins of one registry, in a fixed order."""

    def __init__(self, *, entry_points: bool = True) -> None:
        self.manager = pluggy.PluginManager(hookspecs.PROJECT)
        self.manager.add_hookspecs(hookspecs)
        self.order: list[str] = []
        self.infos: dict[str, PluginInfo] = {}
        self.failures: list[PluginFailure] = []
        for name, module in BUILTIN_PLUGINS.items():
            self.register(importlib.import_module(module), name)
        if entry_points:
            self._load_entry_points()

    def _load_entry_points(self) -> None:
        found = importlib.metadata.entry_points(group=hookspecs.PROJECT)
        for entry in sorted(found, key=lambda point: (point.name, point.value)):
            dist = entry.dist
            try:
                with plugin_call():
                    plugin = entry.load()
            except PluginRaised as raised:  # any import failure is the plugin's, not ours
                self.failures.append(PluginFailure(entry.name, "import", str(raised)))
                continue
            self.register(
                plugin,
                entry.name,
                distribution=dist.name if dist else None,
                version=dist.version if dist else None,
            )

    def register(
        self,
        plugin: object,
        name: str | None = None,
        *,
        distribution: str | None = None,
        version: str | None = None,
    ) -> str:
        """Register ``plugin`` (a module or object with hook implementations)."""
        name = name or getattr(plugin, "__name__", None) or type(plugin).__name__
        if name in self.infos:
            self.failures.append(PluginFailure(name, "register", "a plugin of this name exists"))
            return name
        unknown = sorted(
            attribute
            for attribute in dir(plugin)
            if attribute.startswith("rubriceng_") and attribute not in HOOKS
        )
        for attribute in unknown:
            self.failures.append(
                PluginFailure(name, attribute, f"no such hook (hooks: {', '.join(HOOKS)})")
            )
        try:
            with plugin_call():
                self.manager.register(plugin, name=name)
        except PluginRaised as raised:  # pluggy validation of the hook signatures
            self.failures.append(PluginFailure(name, "register", str(raised)))
            return name
        hooks = tuple(
            caller.name for caller in self.manager.get_hookcallers(plugin) or () if caller.name
        )
        self.order.append(name)
        self.infos[name] = PluginInfo(name, tuple(sorted(hooks)), distribution, version)
        return name

    def call(self, hook: str) -> list[tuple[str, Any]]:
        """Each plugin's answer to ``hook``, in plugin order; failures are recorded."""
        caller = getattr(self.manager.hook, hook)
        impls = {impl.plugin_name: impl for impl in caller.get_hookimpls()}
        answers = []
        for name in self.order:
            impl = impls.get(name)
            if impl is None:
                continue
            try:
                with plugin_call():
                    # a generator or a lazy mapping runs here, inside the guard
                    answer = _materialised(impl.function())
            except PluginRaised as raised:  # isolate the plugin
                self.failures.append(PluginFailure(name, hook, f"raised {raised}"))
                continue
            if answer is not None:
                answers.append((name, answer))
        return answers

    def collect(self) -> Contributions:
        """Call every hook once and check what came back."""
        collector = _Collector(self)
        methods = collector.named(
            "rubriceng_scoring_methods",
            _typed(Method, lambda item: item.key),
            _check_method,
            lambda key, method, plugin: guard_method(method, plugin),
        )
        functions = collector.named(
            "rubriceng_formula_functions", _function_entries, _check_function, guard_function
        )
        input_types = collector.named(
            "rubriceng_input_types",
            _typed(InputType, lambda item: item.name),
            guard=lambda name, kind, plugin: guard_input_type(kind, plugin),
        )
        renderers = collector.named(
            "rubriceng_renderers",
            _typed(Renderer, lambda item: item.name),
            guard=lambda name, renderer, plugin: guard_renderer(renderer, plugin),
        )
        rubric_sources = collector.sources("rubriceng_rubrics", allow_mappings=True)
        case_sources = collector.sources("rubriceng_test_cases", allow_mappings=False)
        return Contributions(
            vocabulary=Vocabulary(methods, functions, input_types),
            renderers=renderers,
            rubric_sources=tuple(rubric_sources),
            case_sources=tuple((name, str(source)) for name, source in case_sources),
            plugins=tuple(self.infos[name] for name in self.order),
            failures=tuple(self.failures),
        )


_INDICATOR_KEYS = frozenset(indicator_schema({}))


def _typed(
    kind: type[Any], key: Callable[[Any], str]
) -> Callable[[Any], Iterator[tuple[Any, Any, str | None]]]:
    """Entries of an answer listing objects of ``kind``, named by ``key``."""

    def entries(answer: Any) -> Iterator[tuple[Any, Any, str | None]]:
        for item in _items(answer):
            if isinstance(item, kind):
                yield key(item), item, None
            else:
                yield None, item, f"expected {kind.__name__}, got {brief(item)}"

    return entries


def _function_entries(answer: Any) -> Iterator[tuple[Any, Any, str | None]]:
    if not isinstance(answer, Mapping):
        yield None, answer, f"expected a mapping of name to function, got {brief(answer)}"
        return
    for name, function in answer.items():
        yield name, function, None


def _check_method(key: str, method: Method) -> str | None:
    if key in _INDICATOR_KEYS:
        return f"method {key!r} would shadow the indicator key of that name"
    try:  # once here, so that rubric documents are validated without checking rules again
        make_validator({key: dict(method.rules)}, {"indicator": {}})
    except Exception as error:  # cerberus.SchemaError, or rules that are no mapping
        return f"method {key!r} gave invalid rules: {error}"
    return None


def _check_function(name: str, function: Any) -> str | None:
    if name in RESERVED_FUNCTION_NAMES:
        return f"{name!r} is a reserved word of formulas"
    if not callable(function):
        return f"{name!r} is not callable"
    if _unsafe(function):
        return f"{name!r} is not a pure function and cannot be offered to formulas"
    return None


def _unsafe(function: Any) -> bool:
    """Callables that reach the interpreter, the file system or the operating system."""
    if isinstance(function, functools.partial):
        return _unsafe(function.func)
    if id(function) in _SAFE_BUILTINS:
        return False
    if id(function) in _UNSAFE_CALLABLES or inspect.isclass(function):
        return True
    if isinstance(function, operator.attrgetter | operator.itemgetter | operator.methodcaller):
        return True
    owner = getattr(function, "__self__", None)
    if owner is not None and not inspect.ismodule(owner) and inspect.isbuiltin(function):
        return True  # a bound method of a built-in object: dict.update, list.append…
    module = owner.__name__ if inspect.ismodule(owner) else getattr(function, "__module__", None)
    return isinstance(module, str) and module.split(".")[0] in _UNSAFE_MODULES


class _Collector:
    def __init__(self, plugins: PluginSet) -> None:
        self.plugins = plugins

    def fail(self, plugin: str, hook: str, message: str) -> None:
        self.plugins.failures.append(PluginFailure(plugin, hook, message))

    def named(
        self,
        hook: str,
        entries: Callable[[Any], Iterator[tuple[Any, Any, str | None]]],
        check: Callable[[str, Any], str | None] | None = None,
        guard: Callable[[str, Any, str], Any] | None = None,
    ) -> dict[str, Any]:
        """Contributions by name, first come first served.

        ``entries(answer)`` yields ``(name, item, refusal)`` for each item of a plugin's
        answer; ``check(name, item)`` may refuse an item of a plugin other than the
        built-in ones. ``guard(name, item, plugin)`` wraps what a plugin other than the
        built-in ones contributes.
        """
        found: dict[str, Any] = {}
        owners: dict[str, str] = {}
        for plugin, answer in self.plugins.call(hook):
            for name, item, refusal in entries(answer):
                problem = (
                    refusal
                    or _check_name(name, owners)
                    # what rubriceng's own plugins give is checked by the tests, not here
                    or (check and plugin not in BUILTIN_PLUGINS and check(name, item))
                )
                if problem:
                    self.fail(plugin, hook, problem)
                    continue
                found[name] = (
                    item
                    if guard is None or plugin in BUILTIN_PLUGINS
                    else guard(name, item, plugin)
                )
                owners[name] = plugin
        return found

    def sources(self, hook: str, *, allow_mappings: bool) -> list[tuple[str, Any]]:
        found = []
        for plugin, answer in self.plugins.call(hook):
            for item in _items(answer):
                if isinstance(item, str | os.PathLike) or (
                    allow_mappings and isinstance(item, Mapping)
                ):
                    found.append((plugin, item))
                else:
                    wanted = "a path or a mapping" if allow_mappings else "a path"
                    self.fail(plugin, hook, f"expected {wanted}, got {brief(item)}")
        return found


def _materialised(answer: Any) -> Any:
    """A hook's answer with every lazy part run: mappings as dicts, iterables as lists."""
    if isinstance(answer, str | bytes | os.PathLike) or answer is None:
        return answer
    if isinstance(answer, Mapping):
        return dict(answer.items())
    if isinstance(answer, Iterable):
        return list(answer)
    return answer


def _items(answer: Any) -> list[Any]:
    if isinstance(answer, str | bytes | Mapping | os.PathLike) or not isinstance(answer, Iterable):
        return [answer]
    return list(answer)


def _check_name(name: Any, owners: Mapping[str, str]) -> str | None:
    if not isinstance(name, str) or not _NAME.match(name):
        return f"{name!r} is not a valid name (lower-case letters, digits and _)"
    if name in owners:
        return f"{name!r} is already registered by plugin {owners[name]!r}"
    return None
