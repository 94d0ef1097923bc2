"""Fuzzing (hypothesis): random formulas, random documents, mutated bundled rubrics, and
random inputs. Whatever comes in, the only exceptions that leave the public API are
rubriceng's own, and every rubric that loads keeps the invariants of
:func:`tests.invariants.assert_invariants`.

The CI profile runs a few dozen examples per test; ``HYPOTHESIS_PROFILE=long`` runs
2000 (see ``tests/conftest.py``).
"""

from __future__ import annotations

import copy
import decimal
import math
from decimal import Decimal
from fractions import Fraction
from typing import Any

from hypothesis import example, given
from hypothesis import strategies as st

import rubriceng
from rubriceng.formula.functions import BUILTIN_FUNCTIONS
from rubriceng.formula.language import FormulaEvaluator, compile_formula
from rubriceng.formula.values import FormulaRuntimeError, FormulaSyntaxError
from rubriceng.language.documents import from_path
from tests.conftest import HUIZHOU, HUIZHOU_UNIT
from tests.invariants import assert_invariants

# -- formulas -----------------------------------------------------------------------------

NAMES = ("a", "b", "rates", "flag", "label")

TOKENS = [
    *NAMES,
    *BUILTIN_FUNCTIONS,
    "points",
    "0",
    "1",
    "2.5",
    "1e3",
    "100",
    "-",
    "+",
    "*",
    "/",
    "//",
    "%",
    "**",
    "(",
    ")",
    ",",
    "<",
    "<=",
    "==",
    "!=",
    ">",
    "and",
    "or",
    "not",
    "if",
    "else",
    "'x'",
    '"是"',
    "true",
    "True",
    "None",
    ".",
    "__class__",
    "[",
    "]",
    "lambda",
    ":",
    "for",
    "in",
    "_",
    "{",
    "}",
    "=",
    ":=",
    "@",
    "f'{a}'",
    "\\",
    "#",
    "\n",
    "\x00",
]

formula_texts = st.one_of(
    st.text(max_size=60),
    st.lists(st.sampled_from(TOKENS), max_size=25).map(" ".join),
)

values = st.one_of(
    st.decimals(allow_nan=False, allow_infinity=False, min_value=-(10**6), max_value=10**6),
    st.integers(-1000, 1000),
    st.booleans(),
    st.sampled_from(["是", "x", ""]),
    st.lists(st.decimals(min_value=0, max_value=10, places=2), max_size=5),
)


@given(formula_texts, st.fixed_dictionaries(dict.fromkeys(NAMES, values)))
def test_any_text_either_compiles_or_is_refused_and_runs_exactly_or_fails_cleanly(text, names):
    try:
        formula = compile_formula(text, (*NAMES, "points"))
    except FormulaSyntaxError as error:
        assert error.code.startswith("formula-")
        return
    try:
        value = FormulaEvaluator().evaluate(formula, {**names, "points": Decimal(10)})
    except FormulaRuntimeError:
        return
    assert isinstance(value, bool | int | Decimal | Fraction | str | list), (text, value)
    assert not isinstance(value, float)


def _formula_grammar() -> st.SearchStrategy[str]:
    leaves = st.sampled_from(
        ["a", "b", "flag", "label", "points", "0", "1", "2.5", "0.05", "-3", "True", "'x'"]
    )

    def grow(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
        one = inner.map
        two = st.tuples(inner, inner)
        three = st.tuples(inner, inner, inner)
        return st.one_of(
            st.tuples(inner, st.sampled_from(["+", "-", "*", "/", "//", "%"]), inner).map(
                lambda t: f"({t[0]} {t[1]} {t[2]})"
            ),
            st.tuples(inner, st.sampled_from(["<", "<=", "==", "!=", ">", ">="]), inner).map(
                " ".join
            ),
            three.map(lambda t: f"{t[0]} < {t[1]} <= {t[2]}"),
            two.map(lambda t: f"({t[0]} and {t[1]})"),
            two.map(lambda t: f"({t[0]} or {t[1]})"),
            three.map(lambda t: f"({t[0]} if {t[1]} else {t[2]})"),
            one(lambda x: f"-{x}"),
            one(lambda x: f"(not {x})"),
            one(lambda x: f"{x} ** 2"),
            st.sampled_from(["abs", "floor", "ceil", "round"]).flatmap(
                lambda f: inner.map(lambda x: f"{f}({x})")
            ),
            two.map(lambda t: f"min({t[0]}, {t[1]})"),
            two.map(lambda t: f"max({t[0]}, {t[1]})"),
            three.map(lambda t: f"div({t[0]}, {t[1]}, {t[2]})"),
            three.map(lambda t: f"clamp({t[0]}, {t[1]}, {t[2]})"),
            st.sampled_from(["sum", "mean", "count", "min", "max"]).map(lambda f: f"{f}(rates)"),
        )

    return st.recursive(leaves, grow, max_leaves=12)


@given(_formula_grammar(), st.fixed_dictionaries(dict.fromkeys(NAMES, values)))
@example("a < b <= points", {"a": Decimal(1), "b": Decimal(2), "rates": [], "flag": 1, "label": ""})
def test_compiled_formulas_agree_with_simpleeval_value_for_value(text, names):
    """The closures a formula compiles to give simpleeval's value, or its error, always."""
    from rubriceng.decimals import DECIMAL_CONTEXT
    from rubriceng.formula.language import reference_value

    try:
        formula = compile_formula(text, (*NAMES, "points"))
    except FormulaSyntaxError:
        return
    scope = {**names, "points": Decimal(10)}

    def outcome(run: Any) -> tuple[Any, ...]:
        try:
            with decimal.localcontext(DECIMAL_CONTEXT):
                return ("value", _typed(run()))
        except FormulaRuntimeError as error:
            return ("error", str(error), error.code)

    compiled = outcome(lambda: FormulaEvaluator().evaluate(formula, scope))
    assert compiled == outcome(lambda: reference_value(formula, scope)), text


# -- documents ----------------------------------------------------------------------------

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**20), 10**20),
    st.floats(allow_nan=True, allow_infinity=True),
    st.decimals(allow_nan=True, allow_infinity=True),
    st.text(max_size=20),
    st.sampled_from(["a + b", "points", "a.__class__", "x", "ratio", "bands", "proportional"]),
)
plain_data = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.dictionaries(
            st.sampled_from(
                [
                    "id",
                    "name",
                    "points",
                    "total",
                    "version",
                    "title",
                    "indicators",
                    "inputs",
                    "children",
                    "score",
                    "type",
                    "applies",
                    "not_applicable",
                    "strategy",
                    "to",
                    "bands",
                    "upto",
                    "else",
                    "ratio",
                    "actual",
                    "target",
                    "grades",
                    "min",
                ]
            ),
            children,
            max_size=6,
        ),
    ),
    max_leaves=30,
)


@given(plain_data)
def test_any_document_either_loads_or_raises_a_rubric_error(document):
    try:
        rubriceng.load_rubric(document if isinstance(document, dict) else {"data": document})
    except rubriceng.RubricError as error:
        assert error.problems


SEED_DOCUMENT = from_path(HUIZHOU).data
SEED_INPUTS = dict(rubriceng.load_inputs(HUIZHOU_UNIT).inputs)


def _paths(data: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [path]
    if isinstance(data, dict):
        for key, value in data.items():
            found += _paths(value, (*path, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            found += _paths(value, (*path, index))
    return found


SEED_PATHS = _paths(SEED_DOCUMENT)[1:]

replacement = st.one_of(
    scalars,
    st.sampled_from(
        [[], {}, 0, -1, Decimal("0.005"), "1 / 0", "points * 2", "not_an_input", [{"else": 0}]]
    ),
)


@st.composite
def mutations(draw) -> dict[str, Any]:
    document = copy.deepcopy(SEED_DOCUMENT)
    for _ in range(draw(st.integers(1, 3))):
        path = draw(st.sampled_from(SEED_PATHS))
        parent = document
        try:
            for key in path[:-1]:
                parent = parent[key]
            kind = draw(st.sampled_from(["replace", "delete", "duplicate"]))
            if kind == "delete":
                del parent[path[-1]]
            elif kind == "duplicate" and isinstance(parent, list):
                parent.insert(path[-1], copy.deepcopy(parent[path[-1]]))
            else:
                parent[path[-1]] = draw(replacement)
        except (KeyError, IndexError, TypeError):
            continue  # an earlier mutation removed the way there
    return document


def _score(rubric: rubriceng.Rubric, inputs: Any) -> None:
    try:
        result = rubriceng.evaluate(rubric, inputs)
    except (rubriceng.InputError, rubriceng.EvaluationError) as error:
        assert error.problems
        return
    assert_invariants(rubric, inputs, result)


@given(mutations())
def test_mutated_bundled_rubrics_load_cleanly_or_not_at_all(document):
    try:
        rubric = rubriceng.load_rubric(document)
    except rubriceng.RubricError as error:
        assert all(problem.code and problem.message for problem in error.problems)
        return
    _score(rubric, SEED_INPUTS)


# -- inputs -------------------------------------------------------------------------------

HUIZHOU_RUBRIC = rubriceng.load_rubric(HUIZHOU)
INPUT_IDS = sorted(SEED_INPUTS)

any_value = st.one_of(
    scalars,
    st.just(math.nan),
    st.just(Decimal("sNaN")),
    st.sampled_from(["90%", "1,331,100", "是", "否", "１２", "1e400", "-0", "0x10"]),
    st.lists(scalars, max_size=5),
    st.dictionaries(st.text(max_size=5), scalars, max_size=3),
)


@given(
    st.dictionaries(st.sampled_from(INPUT_IDS), any_value, max_size=4),
    st.lists(st.sampled_from(INPUT_IDS), max_size=3),
    st.dictionaries(st.text(max_size=8), scalars, max_size=2),
)
def test_any_inputs_score_or_are_refused_with_located_problems(changes, removed, extra):
    inputs = {**SEED_INPUTS, **changes, **extra}
    for name in removed:
        inputs.pop(name, None)
    _score(HUIZHOU_RUBRIC, inputs)


keys = st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=10))


@given(st.one_of(scalars, st.lists(scalars), st.dictionaries(keys, scalars, max_size=3)))
@example({"²": None})  # a digit that int() cannot read, in the sorting of problems
def test_inputs_that_are_not_a_mapping_of_names_are_refused(inputs):
    try:
        rubriceng.evaluate(HUIZHOU_RUBRIC, inputs)
    except rubriceng.InputError as error:
        assert error.problems


# -- the compiled input checker agrees with cerberus ---------------------------------------

CHECKER_SCHEMA: dict[str, Any] = {
    "money": {"type": "decimal", "coerce": "decimal", "min": Decimal(0)},
    "rate": {"type": "decimal", "coerce": "decimal", "min": Decimal(0), "max": Decimal(1)},
    "count": {"type": "integer", "coerce": "count", "min": 0, "max": 12},
    "flag": {"type": "boolean", "coerce": "boolean"},
    "label": {"type": "string"},
    "rates": {
        "type": "list",
        "schema": {"type": "decimal", "coerce": "decimal", "min": Decimal(0)},
        "minlength": 2,
        "maxlength": 3,
    },
    "checklist": {  # a checklist's judged items
        "type": "dict",
        "schema": {
            "plan": {"type": "boolean", "coerce": "boolean", "required": True},
            "share": {"type": "credit", "coerce": "credit", "required": True, "credit_max": 2},
        },
    },
    "judgement": {  # a judgement's score and reason
        "type": "dict",
        "schema": {
            "score": {"type": "decimal", "coerce": "decimal", "required": True, "max": 3},
            "reason": {"type": "string", "required": True, "empty": False},
        },
    },
    "parts": {  # judged sub-indicators
        "type": "list",
        "minlength": 1,
        "schema": {
            "type": "dict",
            "schema": {
                "name": {"type": "string", "required": True, "empty": False},
                "score": {"type": "decimal", "coerce": "decimal", "required": True, "min": 0},
            },
        },
    },
    "whole": {"type": "integer"},  # true is not 1
    "free": {},  # anything but null
    "kinds": {"type": "list", "allowed": ["a", "b"]},  # each item allowed
    "targets": {  # a 绩效目标 table: null where a cell is empty, words from a list
        "type": "list",
        "schema": {
            "type": "dict",
            "schema": {
                "name": {"type": "string", "required": True, "empty": False},
                "target": {"type": "string", "nullable": True},
                "actual": {"nullable": True},
                "met": {"type": "boolean", "coerce": "boolean"},
                "points": {"type": "decimal", "coerce": "decimal", "min": Decimal(0)},
                "share": {"type": "decimal", "coerce": "decimal", "nullable": True},
                "tier": {"type": "string", "allowed": ["达成", "met", ">="]},
            },
        },
    },
}

checker_value = st.recursive(
    any_value,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.tuples(inner, inner),
        st.dictionaries(
            st.sampled_from(["plan", "share", "score", "reason", "name", "other"]),
            inner,
            max_size=3,
        ),
    ),
    max_leaves=8,
)


numbers = st.one_of(
    st.integers(0, 3),
    st.decimals(min_value=0, max_value=1, places=2),
    st.sampled_from(["90%", "1,331.5", " 3 ", "0.5", "1e1", "2.0", "-0", "-1", True]),
)
flags = st.sampled_from([True, False, "是", "否", "有", 0, 1, Decimal(1), " YES ", "maybe", None])
names = st.sampled_from(["x", "说明", "", 1])
PLAUSIBLE = {
    "money": numbers,
    "rate": numbers,
    "count": numbers,
    "flag": flags,
    "label": names,
    "rates": st.lists(numbers, min_size=1, max_size=4),
    "checklist": st.fixed_dictionaries(
        {"plan": flags, "share": st.one_of(flags, numbers)}, optional={"other": numbers}
    ),
    "judgement": st.fixed_dictionaries({"score": numbers, "reason": names}),
    "parts": st.lists(st.fixed_dictionaries({"name": names, "score": numbers}), max_size=3),
    "whole": st.sampled_from([0, 7, True, False, Decimal(2), "3", None]),
    "free": st.sampled_from([None, 0, "", [None]]),
    "kinds": st.one_of(st.lists(st.sampled_from(["a", "b", "c", 1, None])), st.just("a")),
    "targets": st.lists(
        st.fixed_dictionaries(
            {"name": names},
            optional={
                "target": st.sampled_from(["≥95%", "", None, 95]),
                "actual": st.one_of(numbers, st.sampled_from([None, "98%", [1]])),
                "met": flags,
                "points": st.one_of(numbers, st.none()),
                "share": st.one_of(numbers, st.sampled_from([None, "none", "x"])),
                "tier": st.sampled_from(["达成", "met", "≥", ">=", None, 1, ["met"]]),
            },
        ),
        max_size=3,
    ),
}
CHECKER_VALUES = {
    **{key: st.one_of(values, values, values, checker_value) for key, values in PLAUSIBLE.items()},
    "unknown": numbers,
}
checker_inputs = st.lists(st.sampled_from(sorted(CHECKER_VALUES)), max_size=3, unique=True).flatmap(
    lambda keys: st.fixed_dictionaries({key: CHECKER_VALUES[key] for key in keys})
)


@given(checker_inputs)
@example({"rates": ["1", "2%"], "parts": [{"name": "x", "score": "1"}]})
@example({"checklist": {"plan": "是", "share": "1.5"}, "judgement": {"score": 3, "reason": "r"}})
@example({"whole": True})
@example({"whole": None})
@example({"free": None})
@example({"free": [None]})
@example({"kinds": ["a", "c"]})
@example({"kinds": "a"})
@example({"targets": [{"name": "x", "tier": "≥"}]})
@example({"targets": [{"name": "x", "tier": None}]})
@example({"targets": [{"name": "x", "points": None}]})
@example({"targets": [{"name": "x", "share": "none"}]})
@example({"targets": [{"name": "x", "share": None, "target": None, "actual": None}]})
@example({"targets": [{"name": "x", "share": "0.5", "met": "是", "tier": "met"}]})
def test_the_compiled_checker_accepts_exactly_what_cerberus_accepts(inputs):
    """The fast checker (no cerberus) returns cerberus's normalised document, with the same
    types, whenever cerberus accepts the inputs, and refuses whenever cerberus refuses."""
    from rubriceng.inputs.types import compile_checker
    from rubriceng.language.schema import Validator

    checker = compile_checker(CHECKER_SCHEMA)
    assert checker is not None
    validator = Validator(CHECKER_SCHEMA)
    accepted = validator.validate(inputs)
    normalised = checker(inputs)
    if not accepted:
        assert normalised is None, validator.errors
        return
    assert normalised is not None
    assert _typed(normalised) == _typed(dict(validator.document))


def _typed(value: Any) -> Any:
    """A value with the type of every part, so that 1 and Decimal(1) and True differ."""
    if isinstance(value, dict):
        return {key: _typed(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return (type(value).__name__, [_typed(item) for item in value])
    return (type(value).__name__, str(value))


def test_rules_outside_the_checkers_subset_leave_checking_to_cerberus():
    from rubriceng.inputs.types import compile_checker

    assert compile_checker({"code": {"type": "string", "regex": "[0-9]+"}}) is None
    assert compile_checker({"day": {"type": "date"}}) is None
    assert compile_checker({"x": {"type": "decimal", "coerce": "unheard-of"}}) is None
    assert compile_checker({"kind": {"type": "string", "allowed": "ab"}}) is None
    assert compile_checker({"kind": {"type": "string", "allowed": [["a"]]}}) is None
    assert compile_checker({"x": {"type": "decimal", "nullable": "yes"}}) is None
    # rules cerberus would reject are left to it, so that the rubric is refused at load
    assert compile_checker({"x": {"type": "decimal", "required": "yes"}}) is None
    assert compile_checker({"x": {"type": "string", "empty": 0}}) is None
    assert compile_checker({"x": {"type": "decimal", "min": "0"}}) is None
    assert compile_checker({"x": {"type": "list", "maxlength": 1.5}}) is None


# -- the column path agrees with the row path on random formulas ---------------------------


@given(_formula_grammar(), st.integers(0, 10**6))
@example("(not 'x' == 'x')", 0)  # text against text, both constants: one answer for all units
@example("'x' != label", 1)
def test_random_formulas_score_the_same_over_columns_as_row_by_row(text, seed):
    """A random formula as an indicator's score, over units whose values often sit on
    edges (zeros, equal values, halves): evaluate_table scores and fails every unit
    exactly as evaluate_many does."""
    np = __import__("pytest").importorskip("numpy")
    import random

    from rubriceng.scoring.table import Table

    try:
        rubric = rubriceng.load_rubric(
            {
                "id": "fuzz",
                "version": "1",
                "title": "fuzz",
                "total": 10,
                "inputs": {
                    "a": {"type": "number"},
                    "b": {"type": "money"},
                    "flag": {"type": "boolean"},
                    "label": {"type": "text"},
                    "rates": {"type": "list", "items": "rate", "length": 3},
                },
                "indicators": [{"id": "x", "name": "x", "points": 10, "score": text}],
            }
        )
    except rubriceng.RubricError:
        return
    rng = random.Random(seed)
    edges = [Decimal(0), Decimal("0.5"), Decimal("2.5"), Decimal(10), Decimal("-1")]

    def number() -> Decimal:
        if rng.random() < 0.5:
            return rng.choice(edges)
        return Decimal(rng.randrange(-300, 1500)) / 100

    units = [
        {
            "a": number(),
            "b": abs(number()),
            "flag": rng.random() < 0.5,
            "label": rng.choice(["x", "是"]),
            "rates": [abs(number()) / 10 for _ in range(3)],
        }
        for _ in range(24)
    ]
    columns = {
        "a": np.array([float(u["a"]) for u in units]),
        "b": np.array([float(u["b"]) for u in units]),
        "flag": np.array([u["flag"] for u in units]),
        "label": np.array([u["label"] for u in units], dtype=object),
        **{f"rates.{i + 1}": np.array([float(u["rates"][i]) for u in units]) for i in range(3)},
    }
    table = rubriceng.evaluate_table(rubric, columns, errors="collect")
    rows = Table(columns)  # the values as the table holds them (-1 as -1.0)
    same = [rows.row(index) for index in range(rows.size)]
    batch = rubriceng.evaluate_many(rubric, same, trace=False, errors="collect")
    assert table.units == tuple(result.unit for result in batch.results), text
    assert table.totals() == [result.total for result in batch.results], text
    assert [f.unit for f in table.failures] == [f.unit for f in batch.failures], text
    assert [f.error.problems for f in table.failures] == [
        f.error.problems for f in batch.failures
    ], text
