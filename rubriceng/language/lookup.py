"""Finding an indicator as a person names it: by id, by its name as the table prints it
(财政拨款收入预决算差异率), by a unique beginning of that name (财政拨款收入), or by a part
of it no other name has (差异率).

An unknown name is an :class:`IndicatorNotFoundError` with the closest names as
suggestions; it is a :class:`KeyError` too, so code that caught the old ``KeyError``
goes on working.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from rubriceng.errors import Problem, RubricengError
from rubriceng.outputs.words import Phrase


class IndicatorNotFoundError(RubricengError, KeyError):
    """No indicator has that id or name (or several names begin with it)."""

    code = "indicator-not-found"

    def __str__(self) -> str:  # KeyError would quote the message
        return RubricengError.__str__(self)


def find_id(key: str, indicators: Iterable[tuple[str, str]]) -> str:
    """The id of the indicator ``key`` names: an id, a name, or a name's unique start.

    ``indicators`` are ``(id, name)`` pairs.

    >>> pairs = [("revenue_budget_variance", "财政拨款收入预决算差异率"),
    ...          ("procurement_rate", "政府采购执行率")]
    >>> find_id("政府采购执行率", pairs), find_id("财政拨款", pairs)
    ('procurement_rate', 'revenue_budget_variance')
    >>> find_id("政府采购率", pairs)
    Traceback (most recent call last):
    ...
    rubriceng.language.lookup.IndicatorNotFoundError: 找不到指标（1 个问题）：
      - 没有指标「政府采购率」；是否应为 政府采购执行率 (procurement_rate)？ [indicator-not-found]
    """
    pairs = list(indicators)
    for ident, name in pairs:
        if key in (ident, name):
            return ident
    starting = [ident for ident, name in pairs if name.startswith(key)]
    if len(starting) == 1:
        return starting[0]
    inside = [ident for ident, name in pairs if key and key in name]
    if not starting and len(inside) == 1:  # 差异率 for 财政拨款收入预决算差异率
        return inside[0]
    names = {name: ident for ident, name in pairs}
    ids = dict(pairs)
    several = starting or inside
    if several:
        named = [f"{ids[ident]} ({ident})" for ident in several[:8]]
        message = f"several indicators begin with it: {'、'.join(named)}"
        params: dict[str, Any] = {
            "template": "indicator-several",
            "choices": Phrase({"zh": "、".join(named), "en": ", ".join(named)}),
        }
    else:
        import difflib  # here: only an unknown name needs it

        close = difflib.get_close_matches(key, list(names) + list(ids), n=3, cutoff=0.5)
        shown = [
            f"{name} ({names[name]})" if name in names else f"{ids[name]} ({name})"
            for name in close
        ]
        message = f"did you mean {' or '.join(shown)}?" if shown else "no indicator has it"
        choices = Phrase({"zh": " 或 ".join(shown), "en": " or ".join(shown)})
        params = {"template": "indicator-close" if shown else "indicator-none", "choices": choices}
    raise IndicatorNotFoundError(
        f"no indicator {key!r}",
        [Problem("indicator-not-found", message, params={**params, "key": key})],
    )
