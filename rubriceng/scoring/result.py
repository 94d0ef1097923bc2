"""Results: a tree mirroring the rubric, with every score explained.

``Result.to_dict()`` returns plain JSON types in the layout named by
:data:`RESULT_FORMAT` (Decimals become strings, so no digit is lost)::

    {
      "format": "rubriceng.result/1",
      "rubric": {"id", "version", "title", "extends", "provenance"},
      "unit": "惠州市人民政府办公室",
      "subtotal": "97.86",            # sum of the indicator scores
      "adjustments": [{"id", "name", "events", "points"}],
      "total": "97.86",               # subtotal + adjustments, within the rubric's bounds
      "grade": "优",
      "indicators": [                 # nested like the rubric
        {"id", "name", "points", "effective_points", "score", "status", "trace",
         "origin": "id@version", "provenance": {"points", "rule", "sources", "reasoning"},
         "children": [...]}
      ]
    }

``status`` is ``scored``, ``judged`` (an assessor's or the unit's own judgement) or
``not_applicable``.
"""

from __future__ import annotations

import types
from collections.abc import Callable, Iterable, Iterator, Mapping
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING, Any

import attrs

from rubriceng.decimals import isolated
from rubriceng.errors import Problem, RubricengError
from rubriceng.exact import Mean, shown
from rubriceng.language.documents import freeze, thaw
from rubriceng.language.lookup import find_id

if TYPE_CHECKING:
    import pandas

RESULT_FORMAT = "rubriceng.result/1"
"""Name and version of the layout ``Result.to_dict()`` returns."""

SCORED = "scored"
JUDGED = "judged"
NOT_APPLICABLE = "not_applicable"


_AS_THEY_ARE = frozenset({str, int, bool, float, type(None)})
_VIEWS = frozenset({dict, types.MappingProxyType})


def plain(value: Any) -> Any:
    """``value`` as JSON types: Decimals as strings (an exact Fraction as the decimal it
    is, or to 34 digits), mappings and sequences recursively."""
    kind = type(value)
    if kind in _AS_THEY_ARE:  # most of a trace's values: found by a set lookup
        return value
    if kind in _VIEWS:  # (an ABC check for a mapping costs several times that)
        return {str(key): plain(item) for key, item in value.items()}
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, Fraction | Mean):
        return str(shown(value))
    if isinstance(value, Mapping):
        return {str(key): plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [plain(item) for item in value]
    return value


def _rebuilt(cls: type[Any], values: dict[str, Any]) -> Any:
    return cls(**{name: freeze(value) for name, value in values.items()})


def _reduced(instance: Any) -> tuple[Any, tuple[Any, ...]]:
    """How a result pickles: its fields as plain data (read-only views do not pickle),
    rebuilt through its constructor, which freezes them again. A deferred result's tree
    is built first."""
    values = {
        field.alias: thaw(getattr(instance, field.name))
        for field in attrs.fields(type(instance))
        if field.init
    }
    return _rebuilt, (type(instance), values)


@attrs.frozen
class IndicatorResult:
    """The score of one indicator and how it came about."""

    id: str
    name: str
    points: Decimal
    effective_points: Decimal
    score: Decimal
    status: str
    trace: Mapping[str, Any] = attrs.field(factory=dict, converter=freeze)
    children: tuple[IndicatorResult, ...] = ()
    name_en: str | None = None
    origin: str | None = None
    """The rubric document (``id@version``) the indicator came from."""
    provenance: Mapping[str, Any] | None = None
    """Whether points and rule were transcribed or reconstructed, sources and reasoning."""

    def __reduce__(self) -> tuple[Any, tuple[Any, ...]]:
        return _reduced(self)

    def walk(self) -> Iterator[IndicatorResult]:
        """This result and all below it, depth first."""
        yield self
        for child in self.children:
            yield from child.walk()

    @isolated
    def to_dict(self, rubric_provenance: Mapping[str, Any] | None = None) -> dict[str, Any]:
        """Plain JSON types (see the module documentation).

        Provenance keys equal to ``rubric_provenance`` (the scoring rubric's) are left out,
        except ``points`` and ``rule``, which are always given.
        """
        data: dict[str, Any] = {
            "id": self.id,
            "name": self.name,
            "points": str(self.points),
            "effective_points": str(self.effective_points),
            "score": str(self.score),
            "status": self.status,
            "trace": plain(self.trace),
        }
        if self.name_en is not None:
            data["name_en"] = self.name_en
        if self.origin is not None:
            data["origin"] = self.origin
        if self.provenance is not None:
            inherited = rubric_provenance or {}
            data["provenance"] = {
                key: plain(value)
                for key, value in self.provenance.items()
                if key in ("points", "rule") or inherited.get(key) != value
            }
        if self.children:
            data["children"] = [child.to_dict(rubric_provenance) for child in self.children]
        return data


@attrs.frozen
class AdjustmentResult:
    """A bonus or penalty item (加减分): how many events, and the points they made."""

    id: str
    name: str
    events: int
    points: Decimal
    name_en: str | None = None
    """The English name, where the rubric gives one (shown with ``--lang en``; not in
    :meth:`to_dict`, whose layout is fixed)."""

    @isolated
    def to_dict(self) -> dict[str, Any]:
        """Plain JSON types."""
        return {"id": self.id, "name": self.name, "events": self.events, "points": str(self.points)}

    def named(self, english: bool = False) -> str:
        """Its name, in English where asked for and given."""
        return (self.name_en or self.name) if english else self.name


@attrs.frozen
class Result:
    """The evaluation of one unit against one rubric.

    >>> import rubriceng
    >>> rubric = rubriceng.find_rubric("cn/dept-overall-framework@2020")
    >>> unit = {node.id: {"score": node.points, "reason": "符合"}
    ...         for node in rubric.walk() if node.is_leaf}
    >>> unit["fund_management"] = {"score": "18.25", "reason": "执行率偏低"}
    >>> result = rubriceng.evaluate(rubric, unit)
    >>> row = result.indicator("fund_management")
    >>> row.points, row.effective_points, row.score, row.status
    (Decimal('25.00'), Decimal('25.00'), Decimal('18.25'), 'judged')
    >>> result.row()["total"], result.grade, result.to_dict()["format"]
    (Decimal('93.25'), '优', 'rubriceng.result/1')
    """

    rubric_id: str
    rubric_version: str
    rubric_title: str
    unit: str | None
    subtotal: Decimal
    total: Decimal
    grade: str | None
    indicators: tuple[IndicatorResult, ...]
    adjustments: tuple[AdjustmentResult, ...] = ()
    provenance: Mapping[str, Any] | None = attrs.field(default=None, converter=freeze)
    """The rubric's provenance."""
    extends: str | None = None
    """The rubric the scoring rubric is a variant of, if any."""
    grade_en: str | None = None
    """The grade's English name, where the rubric gives one (not in :meth:`to_dict`)."""
    rubric_title_en: str | None = None
    """The rubric's English title, where it gives one (not in :meth:`to_dict`)."""
    _pending: Callable[[], tuple[IndicatorResult, ...]] | None = attrs.field(
        default=None, init=False, eq=False, repr=False
    )
    _scored: Callable[[], tuple[IndicatorResult, ...]] | None = attrs.field(
        default=None, init=False, eq=False, repr=False
    )
    """A deferred result's tree without traces, for scores and statuses alone (made when
    first read, then kept here as a tuple-returning callable)."""

    @classmethod
    def deferred(
        cls,
        build: Callable[[], tuple[IndicatorResult, ...]],
        *fields: Any,
        scored: Callable[[], tuple[IndicatorResult, ...]] | None = None,
    ) -> Result:
        """A result whose :attr:`indicators` are built by ``build()`` when first read (the
        row kernel's answer: a total is often all that is read). ``fields`` are the other
        fields in order (``rubric_id`` … ``rubric_title_en``, ``indicators`` left out), already
        converted. ``scored()``, if given, builds the same tree without traces, cheaper:
        what :meth:`row`, :meth:`scores` and :meth:`statuses` read while the indicators
        are not built."""
        result = object.__new__(cls)
        for setter, value in zip(_DEFERRED_SETTERS, fields, strict=True):
            setter(result, value)
        _SET_PENDING(result, build)
        _SET_SCORED(result, scored)
        return result

    def _score_walk(self) -> Iterator[IndicatorResult]:
        """Every indicator result as :meth:`walk` gives it, or, while a deferred result's
        indicators are not built, the same scores and statuses without traces."""
        scored = self._scored
        if scored is None or self._pending is None:
            yield from self.walk()
            return
        tree = scored()
        if not isinstance(scored, _Built):
            object.__setattr__(self, "_scored", _Built(tree))
        for indicator in tree:
            yield from indicator.walk()

    def __getattr__(self, name: str) -> Any:
        # only a deferred result's unbuilt indicators reach here (slots are set otherwise)
        pending = object.__getattribute__(self, "_pending") if name == "indicators" else None
        if pending is None:
            raise AttributeError(name)
        indicators = pending()
        object.__setattr__(self, "indicators", indicators)
        object.__setattr__(self, "_pending", None)
        return indicators

    def __reduce__(self) -> tuple[Any, tuple[Any, ...]]:
        return _reduced(self)

    def walk(self) -> Iterator[IndicatorResult]:
        """Every indicator result, depth first, in rubric order."""
        for indicator in self.indicators:
            yield from indicator.walk()

    def indicator(self, indicator_id: str) -> IndicatorResult:
        """The result of an indicator by its id, its name (财政拨款收入预决算差异率) or a
        unique beginning of its name; :class:`~rubriceng.language.lookup.IndicatorNotFoundError`
        (a :class:`KeyError` too) with suggestions if there is none."""
        rows = {found.id: found for found in self.walk()}
        if indicator_id in rows:
            return rows[indicator_id]
        return rows[find_id(indicator_id, ((row.id, row.name) for row in rows.values()))]

    def scores(self) -> dict[str, Decimal]:
        """Every indicator's score by id, groups included."""
        return {found.id: found.score for found in self._score_walk()}

    def statuses(self) -> dict[str, str]:
        """Every indicator's status by id, groups included: ``scored``, ``judged``,
        ``not_applicable`` …, as :attr:`IndicatorResult.status` (no trace is made)."""
        return {found.id: found.status for found in self._score_walk()}

    @isolated
    def to_dict(self) -> dict[str, Any]:
        """Plain JSON types in the :data:`RESULT_FORMAT` layout."""
        return {
            "format": RESULT_FORMAT,
            "rubric": {
                "id": self.rubric_id,
                "version": self.rubric_version,
                "title": self.rubric_title,
                "extends": self.extends,
                "provenance": plain(self.provenance),
            },
            "unit": self.unit,
            "subtotal": str(self.subtotal),
            "adjustments": [adjustment.to_dict() for adjustment in self.adjustments],
            "total": str(self.total),
            "grade": self.grade,
            "indicators": [indicator.to_dict(self.provenance) for indicator in self.indicators],
        }

    def to_json(self, indent: int | None = 2) -> str:
        """``to_dict()`` as JSON text (UTF-8 characters kept as they are)."""
        import json  # here: a first score needs no JSON

        return json.dumps(self.to_dict(), ensure_ascii=False, indent=indent)

    @isolated
    def row(self) -> dict[str, Any]:
        """The scores as one flat row: every indicator of the rubric by id (groups too;
        not the sub-indicators a unit named itself), ``subtotal``, each adjustment by id,
        ``total`` and ``grade`` — the columns of a batch table."""
        row: dict[str, Any] = {
            found.id: found.score for found in self._score_walk() if "." not in found.id
        }
        row["subtotal"] = self.subtotal
        row.update({adjustment.id: adjustment.points for adjustment in self.adjustments})
        row["total"] = self.total
        row["grade"] = self.grade
        return row

    @isolated
    def to_frame(self) -> pandas.DataFrame:
        """A pandas DataFrame with one row per indicator (index ``id``, depth first):
        ``name``, ``points``, ``effective_points``, ``score`` (Decimals) and ``status``."""
        import pandas

        rows = [
            {
                "id": found.id,
                "name": found.name,
                "points": found.points,
                "effective_points": found.effective_points,
                "score": found.score,
                "status": found.status,
            }
            for found in self._score_walk()
        ]
        return pandas.DataFrame(rows).set_index("id")


@attrs.frozen
class _Built:
    """A tree already built, as the callable a deferred result keeps."""

    tree: tuple[IndicatorResult, ...]

    def __call__(self) -> tuple[IndicatorResult, ...]:
        return self.tree


_DEFERRED_FIELDS = tuple(
    field.name for field in attrs.fields(Result) if field.init and field.name != "indicators"
)
# the slots' own setters: a deferred result is made per unit, and these skip the frozen
# class's __setattr__ and the lookup of each name (half the time of object.__setattr__)
_DEFERRED_SETTERS = tuple(Result.__dict__[name].__set__ for name in _DEFERRED_FIELDS)
_SET_PENDING = Result.__dict__["_pending"].__set__
_SET_SCORED = Result.__dict__["_scored"].__set__


BATCH_FORMAT = "rubriceng.batch/1"
"""Name and version of the layout ``Batch.to_dict()`` returns."""


@attrs.frozen
class UnitFailure:
    """A unit of a batch that could not be scored: its inputs were invalid (``InputError``)
    or a formula or plugin failed on them (``EvaluationError``)."""

    unit: str
    error: RubricengError = attrs.field(
        eq=lambda error: (type(error), error.summary, error.problems)
    )

    @property
    def problems(self) -> tuple[Problem, ...]:
        """Every problem found with this unit, each naming the unit."""
        return self.error.problems

    @isolated
    def to_dict(self, lang: str | None = None) -> dict[str, Any]:
        """``{"unit", "error": code, "problems": [{"code", "message", "text", …}]}``:
        ``message`` in English, for programs; ``text`` the problem located and told in
        ``lang`` (default: :func:`rubriceng.outputs.words.language`), for people."""
        return {
            "unit": self.unit,
            "error": self.error.code,
            "problems": [
                {
                    **{
                        key: value
                        for key, value in attrs.asdict(problem, recurse=False).items()
                        if value is not None and key != "params"
                    },
                    "text": problem.text(lang),
                }
                for problem in self.problems
            ],
        }


@attrs.frozen
class Batch:
    """What ``evaluate_many(..., errors="collect")`` returns: every unit's outcome.

    ``results`` are the units that were scored and ``failures`` those that were not, each
    in the order the units were given. Peer statistics were computed over the units
    whose inputs were valid.
    """

    results: tuple[Result, ...]
    failures: tuple[UnitFailure, ...] = ()

    @property
    def ok(self) -> bool:
        """True when every unit was scored."""
        return not self.failures

    def result(self, unit: str) -> Result:
        """The result of the unit with this name (KeyError if it was not scored)."""
        for found in self.results:
            if found.unit == unit:
                return found
        raise KeyError(unit)

    @isolated
    def to_frame(self) -> pandas.DataFrame:
        """A pandas DataFrame: one row per scored unit (index ``unit``), the columns of
        :meth:`Result.row` — the same frame ``evaluate_table(...).to_frame()`` gives."""
        return to_frame(self.results)

    @isolated
    def to_dict(self, lang: str | None = None) -> dict[str, Any]:
        """Plain JSON types: ``{"format", "results": [...], "failures": [...]}``; each
        failure's problems told in ``lang`` too (see :meth:`UnitFailure.to_dict`)."""
        return {
            "format": BATCH_FORMAT,
            "results": [result.to_dict() for result in self.results],
            "failures": [failure.to_dict(lang) for failure in self.failures],
        }


@isolated
def to_frame(results: Iterable[Result] | Batch) -> pandas.DataFrame:
    """Results as a pandas DataFrame: one row per unit (index ``unit``), a column per
    indicator (Decimal scores), ``subtotal``, adjustments, ``total`` and ``grade``.

    Takes what :func:`rubriceng.evaluate_many` returns, a list or a :class:`Batch`.

    >>> import rubriceng
    >>> rubric = rubriceng.find_rubric("cn/dept-overall-framework@2020")
    >>> full = {node.id: {"score": node.points, "reason": "符合"}
    ...         for node in rubric.walk() if node.is_leaf}
    >>> lower = {**full, "fund_management": {"score": "18.25", "reason": "执行率偏低"}}
    >>> frame = to_frame(rubriceng.evaluate_many(rubric, {"办公室": full, "财政局": lower}))
    >>> frame.loc["财政局", ["fund_management", "total", "grade"]].tolist()
    [Decimal('18.25'), Decimal('93.25'), '优']
    """
    import pandas

    found = results.results if isinstance(results, Batch) else tuple(results)
    index = pandas.Index([result.unit for result in found], name="unit")
    rows = [result.row() for result in found]
    columns = list(rows[0]) if rows else []
    return pandas.DataFrame(rows, index=index, columns=columns)
