"""Plugin code behind a guard: what a third-party plugin raises stays with its plugin.

A plugin's scoring method, formula function, input type or renderer is code, and code
fails. The registry wraps every contribution of a plugin other than the built-in one so
that an exception from it — or a value of the wrong kind — becomes a located rubriceng
problem with code ``plugin-failed`` that names the plugin and what it contributed:

* while a rubric is compiled (a method's ``compile``, a scorer's ``formulas``,
  ``own_input``, ``peer_statistic``; an input type's ``rules``): a problem of the
  :class:`~rubriceng.errors.RubricError`, located at the indicator or input;
* while a unit is scored (a scorer's ``score``, a formula function): a problem of the
  unit's :class:`~rubriceng.errors.EvaluationError`, naming the unit and the indicator;
  other units are scored as usual;
* while a result is rendered: a :class:`~rubriceng.errors.PluginError`.

Every guard catches what a plugin raises, ``SystemExit``, ``GeneratorExit`` and other
``BaseException`` included, except a ``KeyboardInterrupt`` from the user, which still
stops the program. Every plugin call runs under a fresh copy of rubriceng's decimal
context (a plugin that changes the context changes nothing after it returns), and a
formula function receives lists as tuples, so it cannot change another indicator's
values. Plugin code gets numbers as Decimals (rubriceng computes with exact Fractions; a
quotient that does not terminate reaches a plugin rounded to 34 digits).

A guard cannot make a plugin pure or fast; installed plugins are trusted as far as any
installed package is (see ``docs/security.md``).
"""

from __future__ import annotations

import contextlib
import decimal
import functools
from collections.abc import Callable, Iterator, Mapping
from decimal import Decimal
from fractions import Fraction
from typing import Any

import attrs

from rubriceng.decimals import DECIMAL_CONTEXT
from rubriceng.errors import PluginError, Problem, RubricError
from rubriceng.exact import shown
from rubriceng.formula.language import Formula
from rubriceng.formula.values import FormulaRuntimeError
from rubriceng.inputs.types import InputType
from rubriceng.language.model import InputSpec
from rubriceng.methods.base import CompileContext, Context, Method, Scored, Scorer, ScoringFailure
from rubriceng.outputs.text import Renderer
from rubriceng.scoring.result import Result

PLUGIN_FAILED = "plugin-failed"


class PluginRaised(Exception):
    """What a plugin raised, of any kind but ``KeyboardInterrupt``, as an Exception."""

    def __init__(self, error: BaseException) -> None:
        self.error = error
        super().__init__(describe(error))


@contextlib.contextmanager
def plugin_call() -> Iterator[None]:
    """Run plugin code: under a fresh decimal context, anything it raises (but the user's
    ``KeyboardInterrupt``) re-raised as :class:`PluginRaised`."""
    try:
        with decimal.localcontext(DECIMAL_CONTEXT):
            yield
    except KeyboardInterrupt:
        raise
    except (FormulaRuntimeError, ScoringFailure, RubricError, PluginError):
        raise
    except BaseException as error:
        raise PluginRaised(error) from None


def describe(error: BaseException) -> str:
    """``ValueError: message`` (the type alone when there is no message)."""
    text = str(error)
    return f"{type(error).__name__}: {text}" if text else type(error).__name__


def _is_formula_value(value: Any) -> bool:
    if isinstance(value, bool | int | Decimal | Fraction | str):
        return not isinstance(value, Decimal) or value.is_finite()
    if isinstance(value, list):
        return all(isinstance(item, bool | int | Decimal | Fraction) for item in value)
    return False


def _for_plugin(value: Any) -> Any:
    """A formula value as a plugin function gets it: numbers as Decimals (exact when they
    terminate, else 34 digits), lists as tuples."""
    if isinstance(value, list | tuple):
        return tuple(_for_plugin(item) for item in value)
    if isinstance(value, Fraction):
        return shown(value)
    return value


def guard_function(name: str, function: Callable[..., Any], plugin: str) -> Callable[..., Any]:
    """``function`` raising only :class:`FormulaRuntimeError` and returning formula values."""
    who = f"function {name}() of plugin {plugin!r}"

    @functools.wraps(function)
    def guarded(*args: Any) -> Any:
        frozen = tuple(_for_plugin(item) for item in args)
        try:
            with plugin_call():
                value = function(*frozen)
        except PluginRaised as raised:
            message = f"{who} raised {raised}"
            raise FormulaRuntimeError(message, PLUGIN_FAILED) from None
        if not _is_formula_value(value):
            raise FormulaRuntimeError(
                f"{who} returned {type(value).__name__}, not a number, text, "
                "true/false or a list of numbers",
                PLUGIN_FAILED,
            )
        return value

    return guarded


@attrs.frozen
class GuardedScorer(Scorer):
    """A plugin's scorer: answers computed once at compile time, ``score`` guarded."""

    inner: Scorer
    key: str
    who: str
    formula_list: tuple[Formula, ...]
    own: Mapping[str, Any] | None
    peer: str | None
    is_judged: bool

    @property
    def judged(self) -> bool:  # type: ignore[override]
        """Whether the plugin's scorer scores by judgement."""
        return self.is_judged

    def formulas(self) -> tuple[Formula, ...]:
        return self.formula_list

    def own_input(self) -> Mapping[str, Any] | None:
        return self.own

    def peer_statistic(self) -> str | None:
        return self.peer

    def score(self, context: Context) -> Scored:
        try:
            with plugin_call():
                scored = self.inner.score(context.private())
        except PluginRaised as raised:
            raise ScoringFailure(PLUGIN_FAILED, f"{self.who} raised {raised}", self.key) from None
        wrong = _wrong_score(scored)
        if wrong:
            raise ScoringFailure(PLUGIN_FAILED, f"{self.who} returned {wrong}", self.key)
        return scored


def _wrong_score(scored: Any) -> str | None:
    """What is wrong with a scorer's answer, if anything."""
    if not isinstance(scored, Scored):
        return f"{type(scored).__name__}, not Scored"
    raw = scored.raw
    if isinstance(raw, bool) or not isinstance(raw, Decimal | int | Fraction):
        return f"a score of type {type(raw).__name__}, not a number"
    if isinstance(raw, Decimal) and not raw.is_finite():
        return f"a score of {raw}"
    return None


def guard_method(method: Method, plugin: str) -> Method:
    """``method`` whose compile and scorer report failures as ``plugin-failed`` problems."""
    who = f"method {method.key!r} of plugin {plugin!r}"

    def compile_guarded(spec: Any, context: CompileContext) -> Scorer | None:
        try:
            with plugin_call():
                return _compiled(spec, context)
        except PluginRaised as raised:
            context.problem(PLUGIN_FAILED, f"{who} failed to compile: {raised}")
            return None

    def _compiled(spec: Any, context: CompileContext) -> Scorer | None:
        try:
            scorer = method.compile(spec, context)
            if scorer is None:
                return None
            if not isinstance(scorer, Scorer):
                raise TypeError(f"compile returned {type(scorer).__name__}, not a Scorer")
            formulas = tuple(scorer.formulas())
            if not all(isinstance(formula, Formula) for formula in formulas):
                raise TypeError("formulas() must return compiled formulas")
            own = scorer.own_input()
            peer = scorer.peer_statistic()
            if peer not in (None, "mean", "median"):
                raise TypeError(f"peer_statistic() returned {peer!r}")
            judged = bool(scorer.judged)
        except Exception as error:
            context.problem(PLUGIN_FAILED, f"{who} failed to compile: {describe(error)}")
            return None
        return GuardedScorer(
            scorer, method.key, who, formulas, None if own is None else dict(own), peer, judged
        )

    return attrs.evolve(method, compile=compile_guarded)


def guard_input_type(kind: InputType, plugin: str) -> InputType:
    """``kind`` whose ``rules`` failures are rubric problems located at the input."""
    who = f"input type {kind.name!r} of plugin {plugin!r}"

    def rules(spec: InputSpec, types: Mapping[str, InputType]) -> dict[str, Any]:
        try:
            with plugin_call():
                found = kind.rules(spec, types)
                if not isinstance(found, Mapping):
                    raise TypeError(f"rules() returned {type(found).__name__}, not a mapping")
                return dict(found)
        except PluginRaised as raised:
            raise RubricError(
                f"input {spec.id!r} cannot be checked",
                [Problem(PLUGIN_FAILED, f"{who} failed: {raised}", field=spec.id)],
            ) from None

    return attrs.evolve(kind, rules=rules)


def guard_renderer(renderer: Renderer, plugin: str) -> Renderer:
    """``renderer`` whose failures raise a rubriceng error naming the plugin."""
    who = f"renderer {renderer.name!r} of plugin {plugin!r}"

    def render(result: Result, lang: str) -> str:
        try:
            with plugin_call():
                text = renderer.render(result, lang)
        except PluginRaised as raised:
            raise PluginError(
                f"{who} failed", [Problem(PLUGIN_FAILED, f"{who} raised {raised}")]
            ) from None
        if not isinstance(text, str):
            raise PluginError(
                f"{who} failed",
                [Problem(PLUGIN_FAILED, f"{who} returned {type(text).__name__}, not text")],
            )
        return text

    return attrs.evolve(renderer, render=render)
