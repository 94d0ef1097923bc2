"""Units per second and peak memory of rubriceng's scoring paths, against a hand-written
scorer of the same rubric, on synthetic units of the 惠州 2020 table.

    python benchmarks/run.py                     # 10,000 and 100,000 units
    python benchmarks/run.py --sizes 2000        # a quick look
    python benchmarks/run.py --no-memory         # timings only (memory needs a second pass)
    python benchmarks/run.py --check 100000      # every indicator of edge-heavy units:
                                                 # columns equal rows exactly (slow)

Paths, each over the same units:

(a) ``evaluate`` one unit at a time, with traces (made when first read: here, never);
(t) the same, with every indicator's trace read;
(b) ``evaluate`` one unit at a time, ``trace=False``;
(c) ``evaluate_table``: the batch path over columns (the units as a table of float
    columns, made before the clock starts, as an analyst's spreadsheet would be loaded);
(f) the same over the same table as a pandas DataFrame, text in pandas' own text type
    (Arrow strings), as pandas ≥ 3 loads a spreadsheet;
(d) ``hand_score``: the rubric written out in plain Python and Decimal (the baseline);
(e) the baseline plus every formula of the rubric evaluated by simpleeval, parsed anew on
    each call — what rules-as-data costs when nothing is compiled;
(z) zen-engine scoring the same table from JSON text (``benchmarks/zen_huizhou.py``; the
    texts are made before the clock starts), the peer to beat; skipped without
    ``pip install zen-engine``.

Each figure is printed with its ratio to (d) (higher is faster). Every path's totals are
compared with (d)'s; any disagreement is printed and the script exits 1. Peak memory is
measured with tracemalloc in a second pass, so that tracing does not slow the timings.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import importlib.util
import platform
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import rubriceng
from benchmarks.huizhou import generate, hand_score, to_columns
from benchmarks.zen_huizhou import to_json
from rubriceng.formula.language import FormulaEvaluator, compile_formula
from rubriceng.formula.values import FormulaRuntimeError

RUBRIC = "cn.gd.huizhou/dept-overall@2020"

Path_ = Callable[[Any], list[Decimal]]


def path_a(rubric: rubriceng.Rubric) -> Path_:
    return lambda units: [rubriceng.evaluate(rubric, unit).total for unit in units]


def path_b(rubric: rubriceng.Rubric) -> Path_:
    return lambda units: [rubriceng.evaluate(rubric, unit, trace=False).total for unit in units]


def path_t(rubric: rubriceng.Rubric) -> Path_:
    def run(units: list[dict[str, Any]]) -> list[Decimal]:
        totals = []
        for unit in units:
            result = rubriceng.evaluate(rubric, unit)
            for row in result.walk():  # every trace read: they are made when first read
                row.trace  # noqa: B018
            totals.append(result.total)
        return totals

    return run


def path_c(rubric: rubriceng.Rubric) -> Path_:
    def run(columns: Any) -> list[Decimal]:
        return rubriceng.evaluate_table(rubric, columns).totals()

    return run


def path_d(rubric: rubriceng.Rubric) -> Path_:
    return lambda units: [hand_score(unit) for unit in units]


def path_e(rubric: rubriceng.Rubric) -> Path_:
    texts = sorted({formula.text for formula in _formulas(rubric)})
    known = [spec.id for spec in rubric.inputs]
    known += sorted({name for node in rubric.walk() for name, _ in node.values})
    evaluator = FormulaEvaluator()

    def run(units: list[dict[str, Any]]) -> list[Decimal]:
        totals = []
        for unit in units:
            for text in texts:
                # parsed and checked on every call; a failure (no stock last year) is a
                # case the hand scorer takes
                with contextlib.suppress(FormulaRuntimeError):
                    evaluator.evaluate(compile_formula(text, known), unit)
            totals.append(hand_score(unit))
        return totals

    return run


def _formulas(rubric: rubriceng.Rubric) -> list[Any]:
    found = []
    for node in rubric.walk():
        if node.applies is not None:
            found.append(node.applies)
        found += [formula for _, formula in node.values]
        found += [case.when for case in node.cases]
        if node.scorer is not None:
            found += [f for f in node.scorer.formulas() if not f.is_constant]
    return found


def path_z(rubric: rubriceng.Rubric) -> Path_:
    from benchmarks.zen_huizhou import scorer

    score = scorer()
    return lambda texts: [score(text) for text in texts]


PATHS = {
    "a  evaluate, traces": path_a,
    "t  evaluate, traces read": path_t,
    "b  evaluate, no traces": path_b,
    "c  evaluate_table (columns)": path_c,
    "f  evaluate_table (DataFrame)": path_c,
    "d  hand-written (baseline)": path_d,
    "e  simpleeval, parse per call": path_e,
    "z  zen-engine, JSON text": path_z,
}


def _frame(columns: dict[str, Any]) -> Any:
    """The columns as a pandas DataFrame, as pandas reads a spreadsheet: text in pandas'
    own text type (Arrow strings from pandas 3 on)."""
    import pandas

    return pandas.DataFrame(
        {
            name: pandas.Series(column, dtype="string") if column.dtype == object else column
            for name, column in columns.items()
        }
    )


def _timed(run: Path_, units: Any) -> tuple[float, list[Decimal]]:
    """Process CPU time of one run (not wall time: another process on the machine
    does not count), and the totals it gave."""
    gc.collect()
    start = time.process_time()
    totals = run(units)
    return time.process_time() - start, totals


def _peak(run: Path_, units: Any) -> int:
    gc.collect()
    tracemalloc.start()
    run(units)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak


def bench(
    size: int, memory: bool, rubric: rubriceng.Rubric, edges: float, chosen: str, rounds: int = 5
) -> bool:
    """Every chosen path, interleaved: each round times every path back to back on the
    same units, ratios to (d) are taken within the round, and the median over rounds is
    printed, so that a machine busy for a moment changes no ratio much."""
    units = generate(size, edges=edges)
    columns = to_columns(units)
    print(
        f"\n{size:,} units of {RUBRIC}, a value on its edge {edges:.0%} of the time; "
        f"median of {rounds} interleaved rounds, process CPU time"
    )
    print(f"{'path':32} {'units/s':>12} {'× (d)':>8} {'peak MiB':>9}  totals")
    if "z" in chosen and importlib.util.find_spec("zen") is None:
        print("(z) needs zen-engine: pip install zen-engine")
        chosen = chosen.replace("z", "")
    paths = {
        name: make(rubric) for name, make in PATHS.items() if name[0] in chosen or name[0] == "d"
    }
    texts = [to_json(unit) for unit in units] if "z" in chosen else []
    frame = _frame(columns) if "f" in chosen else None
    data = {
        name: columns
        if name.startswith("c")
        else frame
        if name.startswith("f")
        else texts
        if name.startswith("z")
        else units
        for name in paths
    }
    baseline = "d  hand-written (baseline)"
    seconds: dict[str, list[float]] = {name: [] for name in paths}
    ratios: dict[str, list[float]] = {name: [] for name in paths}
    totals: dict[str, list[Decimal]] = {}
    for _ in range(rounds):
        timed = {name: _timed(run, data[name]) for name, run in paths.items()}
        for name, (spent, found) in timed.items():
            seconds[name].append(spent)
            ratios[name].append(timed[baseline][0] / spent)
            totals[name] = found
    expected = totals[baseline]
    agree = True
    for name in paths:
        pairs = enumerate(zip(totals[name], expected, strict=True))
        wrong = [index for index, (got, want) in pairs if got != want]
        peak = f"{_peak(PATHS[name](rubric), data[name]) / 2**20:9.1f}" if memory else f"{'-':>9}"
        verdict = "agree" if not wrong else f"{len(wrong)} DIFFER, e.g. unit {wrong[0]}"
        rate = size / statistics.median(seconds[name])
        ratio = statistics.median(ratios[name])
        print(f"{name:32} {rate:12,.0f} {ratio:8.2f} {peak}  {verdict}")
        agree = agree and not wrong
    return agree


def check(size: int, rubric: rubriceng.Rubric) -> bool:
    """Every indicator, total and grade of ``size`` edge-heavy units (40% of values on
    edges): the column path against the exact row path, unit by unit."""
    units = generate(size, seed=66, edges=0.4)
    table = rubriceng.evaluate_table(rubric, to_columns(units))
    ids = [node.id for node in rubric.walk()]
    columns = {name: table.column(name) for name in ids}
    totals = table.totals()
    wrong = 0
    for index, unit in enumerate(units):
        result = rubriceng.evaluate(rubric, unit, trace=False)
        scores = result.scores()
        row = {name: scores[name] for name in ids}
        got = {name: columns[name][index] for name in ids}
        same = row == got and result.total == totals[index] and result.grade == table.grades[index]
        wrong += not same
    print(
        f"{size:,} edge-heavy units, {table.rows_rescored:,} of them handed to the row "
        "path: "
        f"{'every indicator agrees' if not wrong else f'{wrong} units DIFFER'}"
    )
    return not wrong


FIRST_SCORE = """
import time
start = time.perf_counter()
import rubriceng
rubric = rubriceng.find_rubric("cn.gd.huizhou/dept-overall@2020")
unit = rubriceng.load_inputs("examples/huizhou-2020-office.yaml")
rubriceng.evaluate(rubric, unit.inputs, unit=unit.unit).total
print(time.perf_counter() - start)
"""


def startup(runs: int = 7) -> None:
    """Wall time of a first score in a new process (import, find the rubric, load the
    example, score) and of ``rubriceng score`` on the example; the median of ``runs``."""
    import os
    import subprocess

    root = Path(__file__).resolve().parent.parent
    # as an installed package runs: from bytecode written once (a shell that sets
    # PYTHONDONTWRITEBYTECODE would have every changed module compiled in every run)
    env = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
    first = [
        float(
            subprocess.run(
                [sys.executable, "-c", FIRST_SCORE],
                cwd=root,
                env=env,
                check=True,
                capture_output=True,
                text=True,
            ).stdout
        )
        for _ in range(runs + 1)
    ][1:]  # the first run writes the bytecode: not counted
    command = [
        sys.executable,
        "-m",
        "rubriceng",
        "score",
        RUBRIC,
        "examples/huizhou-2020-office.yaml",
    ]
    wall = []
    for _ in range(runs + 1):  # the first run writes the CLI's bytecode: not counted
        start = time.perf_counter()
        subprocess.run(command, cwd=root, env=env, check=True, capture_output=True)
        wall.append(time.perf_counter() - start)
    wall = wall[1:]
    print(
        f"\nfirst score in a new process: {statistics.median(first) * 1000:.0f} ms; "
        f"`rubriceng score` on the example: {statistics.median(wall) * 1000:.0f} ms "
        f"(wall time, median of {runs})"
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--no-memory", dest="memory", action="store_false")
    parser.add_argument(
        "--edges",
        type=float,
        default=0.02,
        help="how often a value sits exactly on an edge (default 0.02)",
    )
    parser.add_argument("--paths", default="atbcdefz", help="which paths to run, e.g. cd")
    parser.add_argument(
        "--rounds",
        type=int,
        default=5,
        help="interleaved rounds; their median is printed (default 5)",
    )
    parser.add_argument(
        "--startup",
        action="store_true",
        help="also time a first score and `rubriceng score` in new processes",
    )
    parser.add_argument(
        "--check",
        type=int,
        metavar="UNITS",
        help="only check that columns equal rows on this many units",
    )
    args = parser.parse_args(argv)
    print(
        f"rubriceng {rubriceng.__version__}, Python {platform.python_version()}, "
        f"{platform.machine()}, {platform.system()}"
    )
    rubric = rubriceng.find_rubric(RUBRIC)
    if args.check:
        return 0 if check(args.check, rubric) else 1
    verdicts = [
        bench(size, args.memory, rubric, args.edges, args.paths, args.rounds) for size in args.sizes
    ]
    if args.startup:
        startup()
    ok = all(verdicts)
    if not ok:
        print("\npaths disagree on some totals", file=sys.stderr)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
