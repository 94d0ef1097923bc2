"""rubriceng over HTTP: a small, stateless scoring service for systems not written in
Python (``rubriceng serve``; ``pip install 'rubriceng[serve]'``).

It is a Starlette application run by uvicorn. Starlette rather than FastAPI because the
contract of this service is the JSON Schemas rubriceng already publishes
(:func:`~rubriceng.outputs.schemas.inputs_schema`, ``RESULT_SCHEMA``, ``BATCH_SCHEMA``):
FastAPI would describe the same bodies a second time through pydantic models, and the
two descriptions could drift. Here the OpenAPI document (:func:`openapi`) is built from
those schemas themselves, and the request envelope is checked with cerberus like every
other document rubriceng reads.

Scoring is CPU-bound, so it never runs on the event loop: each request is scored in a
bounded pool of threads (the loop keeps answering ``/health``), under a time limit, and
the service scales with processes (``--workers``), each loading a rubric once, on first
use. The host system keeps its own data: nothing is stored between requests.

Every error is JSON with the library's codes, in the request's language::

    {"error": "input-invalid", "message": "…", "problems": [{"code", "message",
     "text", "field", "indicator", "unit", …}]}

422 for inputs or a request body that break the rules, 404 for an unknown rubric or
indicator, 413 for a body over the limit, 400 for a body that is not JSON, 401 without
the token, 504 past the time limit. Never a stack trace.
"""

from __future__ import annotations

import functools
import hmac
import importlib.metadata
import ipaddress
import json
import logging
import os
import re
import socket
import tempfile
from collections.abc import Awaitable, Callable, Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

import anyio
import anyio.to_thread
import attrs
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route

from rubriceng.errors import (
    EvaluationError,
    InputError,
    Problem,
    RubricengError,
    RubricError,
    RubricNotFoundError,
)
from rubriceng.host.index import RubricEntry
from rubriceng.host.registry import Registry
from rubriceng.inputs.files import quiet_readers
from rubriceng.language.documents import Document
from rubriceng.language.lookup import IndicatorNotFoundError
from rubriceng.language.model import Indicator, Rubric
from rubriceng.language.schema import Validator, problems
from rubriceng.language.years import EVALUATION_YEARS
from rubriceng.outputs.explanation import explain
from rubriceng.outputs.schemas import BATCH_SCHEMA, RESULT_SCHEMA, inputs_schema
from rubriceng.outputs.words import JSON_READINGS, LANGUAGES, Phrase, language
from rubriceng.sanitize import printable
from rubriceng.scoring.engine import evaluate, evaluate_many

__all__ = [
    "MAX_BODY",
    "TIMEOUT",
    "Settings",
    "create_app",
    "openapi",
    "serve",
]

MAX_BODY = 1 << 20
"""The largest request body accepted by default, in bytes (1 MiB); more is a 413."""

TIMEOUT = 30.0
"""The default time limit of one request's scoring, in seconds; past it, a 504."""

LOG = logging.getLogger("rubriceng.service")

VERSION = importlib.metadata.version("rubriceng")
"""The version of rubriceng serving (in /health and the OpenAPI document)."""

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

ENVIRONMENT = {
    "token": "RUBRICENG_TOKEN",
    "max_body": "RUBRICENG_SERVE_MAX_BODY",
    "timeout": "RUBRICENG_SERVE_TIMEOUT",
    "threads": "RUBRICENG_SERVE_THREADS",
}
"""The environment variables a worker process reads its settings from."""


@attrs.frozen
class Settings:
    """How a service behaves.

    Attributes:
        token: the bearer token every ``/v1`` request must carry (None: no auth).
        max_body: the largest request body, in bytes.
        timeout: the time limit of one request's work, in seconds.
        threads: how many requests one worker scores at a time.
    """

    token: str | None = None
    max_body: int = MAX_BODY
    timeout: float = TIMEOUT
    threads: int = 4

    @classmethod
    def from_environment(cls, environ: Mapping[str, str] | None = None) -> Settings:
        """The settings :data:`ENVIRONMENT` names (what ``rubriceng serve`` passes on to
        its worker processes)."""
        environ = os.environ if environ is None else environ
        return cls(
            token=environ.get(ENVIRONMENT["token"]) or None,
            max_body=int(environ.get(ENVIRONMENT["max_body"], MAX_BODY)),
            timeout=float(environ.get(ENVIRONMENT["timeout"], TIMEOUT)),
            threads=int(environ.get(ENVIRONMENT["threads"], 4)),
        )


class Refusal(Exception):
    """A request answered with an error: its HTTP status, code and problems."""

    def __init__(
        self, status: int, code: str, message: str, problems: tuple[Problem, ...] = ()
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.problems = problems


_STATUS: tuple[tuple[type[RubricengError], int], ...] = (
    (IndicatorNotFoundError, 404),
    (RubricNotFoundError, 404),
    (InputError, 422),
    (EvaluationError, 422),
    (RubricError, 500),
)


def _problem_json(problem: Problem, lang: str) -> dict[str, Any]:
    found = {
        key: value
        for key, value in attrs.asdict(problem).items()
        if value is not None and key != "params"
    }
    found["text"] = problem.text(lang)
    return found


def _error_json(error: RubricengError, lang: str) -> dict[str, Any]:
    return {
        "error": error.code,
        "message": error.text(lang),
        "problems": [_problem_json(problem, lang) for problem in error.problems],
    }


def _refusal_json(refusal: Refusal, lang: str) -> dict[str, Any]:
    return {
        "error": refusal.code,
        "message": "\n".join(problem.text(lang) for problem in refusal.problems),
        "problems": [_problem_json(problem, lang) for problem in refusal.problems],
    }


# -- the request envelope ----------------------------------------------------------------


def _whole(value: Any) -> Any:
    """A JSON number with no fraction (``2025.0`` is an integer to JSON Schema) as an int."""
    if isinstance(value, Decimal) and value.is_finite() and value == value.to_integral_value():
        return int(value)
    return value


_UNIT_FIELDS: dict[str, Any] = {
    "rubric": {"type": "string", "required": True, "empty": False, "maxlength": 300},
    "year": {
        "type": "integer",
        "nullable": True,
        "min": EVALUATION_YEARS[0],
        "max": EVALUATION_YEARS[1],
        "coerce": _whole,
    },
    "unit": {"type": "string", "nullable": True, "maxlength": 300},
    "lang": {"type": "string", "nullable": True, "allowed": list(LANGUAGES)},
    "trace": {"type": "boolean"},
}
_REQUESTS: dict[str, dict[str, Any]] = {
    "score": {**_UNIT_FIELDS, "inputs": {"type": "dict", "required": True}},
    "explain": {
        **_UNIT_FIELDS,
        "inputs": {"type": "dict", "required": True},
        "indicator": {"type": "string", "nullable": True, "maxlength": 300},
    },
    "batch": {
        **_UNIT_FIELDS,
        "units": {
            "type": "list",
            "required": True,
            "maxlength": 10_000,
            "schema": {
                "type": "dict",
                "schema": {
                    "unit": {"type": "string", "nullable": True, "maxlength": 300},
                    "inputs": {"type": "dict", "required": True},
                },
            },
        },
    },
}
"""The body of each POST endpoint, as cerberus rules (:func:`openapi` says the same)."""

_JSON_TYPES = {
    "string": "string",
    "integer": "integer",
    "boolean": "boolean",
    "dict": "object",
    "list": "array",
}


def _envelope_schema(rules: Mapping[str, Any]) -> dict[str, Any]:
    """The JSON Schema of a cerberus rule set (the few rules :data:`_REQUESTS` uses)."""
    properties: dict[str, Any] = {}
    for name, rule in rules.items():
        kind = _JSON_TYPES[rule["type"]]
        schema: dict[str, Any] = {"type": [kind, "null"] if rule.get("nullable") else kind}
        if "allowed" in rule:
            schema["enum"] = [*rule["allowed"], *([None] if rule.get("nullable") else [])]
        if "maxlength" in rule:
            schema["maxLength" if kind == "string" else "maxItems"] = rule["maxlength"]
        if rule.get("empty") is False:
            schema["minLength"] = 1
        for cerberus_key, json_key in (("min", "minimum"), ("max", "maximum")):
            if cerberus_key in rule:
                schema[json_key] = rule[cerberus_key]
        if rule["type"] == "list" and "schema" in rule:
            schema["items"] = _envelope_schema(rule["schema"]["schema"])
        properties[name] = schema
    required = [name for name, rule in rules.items() if rule.get("required")]
    return {
        "type": "object",
        "properties": properties,
        "required": required,
        "additionalProperties": False,
    }


def _checked(body: Any, kind: str) -> dict[str, Any]:
    """The body if it keeps the rules of :data:`_REQUESTS`, else a 422 naming each field."""
    if not isinstance(body, dict):
        raise _refusal(
            422,
            "request-invalid",
            "the request body must be a JSON object",
            template="request-object",
        )
    validator = Validator(_REQUESTS[kind])
    if validator.validate(body):
        return dict(validator.document)
    found = problems(validator, Document(body), code="request-invalid")
    raise Refusal(422, "request-invalid", "the request body breaks its schema", tuple(found))


def _refusal(
    status: int,
    code: str,
    message: str,
    *,
    field: str | None = None,
    template: str | None = None,
    **params: Any,
) -> Refusal:
    """A refusal with its one problem, told through the words table."""
    params = {**params, **({"template": template} if template else {})}
    problem = Problem(code, message, field=field, params=params)
    return Refusal(status, code, message, (problem,))


class _NotJson(ValueError):
    """A request body JSON does not allow, as one refusal (template and params)."""

    def __init__(self, message: str, template: str, **params: Any) -> None:
        super().__init__(message)
        self.template = template
        self.params = params


MAX_DIGITS = 100
"""The most digits a whole number of a request may have (as in a rubric or inputs file)."""


def _bounded_int(text: str) -> int:
    """A JSON whole number, if it has at most :data:`MAX_DIGITS` digits (Python refuses
    to read more than 4,300, and no amount has more than 20)."""
    if len(text.lstrip("-")) > MAX_DIGITS:
        raise _NotJson(
            f"the request body has a number of more than {MAX_DIGITS} digits: {text[:20]}…",
            "request-json-digits",
            limit=MAX_DIGITS,
            number=f"{text[:20]}…",
        )
    return int(text)


def _decimal(text: str) -> Decimal:
    """A JSON number with a fraction or an exponent, exactly (an exponent beyond what a
    Decimal can hold, ``1e99…9`` of hundreds of digits, is refused)."""
    try:
        return Decimal(text)
    except ArithmeticError:  # InvalidOperation: an exponent too large to read
        raise _NotJson(
            f"the request body has a number too large to read: {text[:20]}…",
            "request-json-number",
            number=f"{text[:20]}…",
        ) from None


def _reject_constant(name: str) -> Any:
    raise _NotJson(
        f"the request body is not JSON: {name} is not a number JSON allows",
        "request-json-constant",
        name=name,
    )


def _distinct_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """An object whose keys are all different: a key given twice would otherwise keep its
    last value unseen (files refuse it the same way)."""
    found: dict[str, Any] = {}
    for key, value in pairs:
        if key in found:
            raise _NotJson(
                f"the request body gives the key {key!r} twice in one object",
                "request-duplicate-key",
                key=repr(key)[:80],
            )
        found[key] = value
    return found


def _json_reason(message: str) -> Phrase:
    """The JSON parser's message (``Expecting ',' delimiter``) in each language."""
    for english, chinese in JSON_READINGS:
        if message.startswith(english):
            return Phrase({"en": message, "zh": chinese})
    return Phrase({"en": message, "zh": f"：{message}"})


def parse_body(raw: bytes) -> Any:
    """A request body as JSON (numbers with a fraction as Decimals; a UTF-8 BOM allowed),
    or :class:`_NotJson` saying why not and where."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise _NotJson(
            f"the request body is not UTF-8 text (byte {error.start + 1})",
            "request-not-utf8",
            byte=error.start + 1,
        ) from None
    try:
        parsed = json.loads(
            text,
            parse_float=_decimal,
            parse_int=_bounded_int,
            parse_constant=_reject_constant,
            object_pairs_hook=_distinct_keys,
        )
    except json.JSONDecodeError as error:
        said = error.msg.removesuffix(" at")  # "Unterminated string starting at"
        reason = _json_reason(said)
        raise _NotJson(
            f"the request body is not JSON: {said} at line {error.lineno}, column {error.colno}",
            "request-json",
            reason=reason,
            line=error.lineno,
            column=error.colno,
        ) from None
    except RecursionError:
        raise _NotJson("the request body is nested too deeply", "request-json-deep") from None
    if _ESCAPED_SURROGATE.search(text):  # "\ud800": JSON's grammar allows it, Unicode not
        _refuse_surrogates(parsed)
    return parsed


_ESCAPED_SURROGATE = re.compile(r"\\u[dD][89a-fA-F]")
"""Half of a surrogate pair as JSON writes it: a lone one is no character."""


def _refuse_surrogates(value: Any) -> None:
    """Refuse text holding a lone surrogate (no UTF-8 answer, file or workbook can hold it:
    an unpaired ``\\ud800`` is a broken string, not text)."""
    found = [value]
    while found:
        item = found.pop()
        if isinstance(item, dict):
            found.extend(item)
            found.extend(item.values())
        elif isinstance(item, list):
            found.extend(item)
        elif isinstance(item, str) and _SURROGATE.search(item):
            escaped = item.encode("utf-8", "backslashreplace").decode("utf-8")
            raise _NotJson(
                f"the request body has text with half of a surrogate pair: {escaped[:40]!r}",
                "request-json-surrogate",
                text=repr(escaped[:40]),
            )


_SURROGATE = re.compile("[\ud800-\udfff]")


async def _body(request: Request, settings: Settings) -> bytes:
    """The body, refused with 413 as soon as it is known to exceed the limit."""
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdecimal() and int(declared) > settings.max_body:
        raise _too_large(settings)
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > settings.max_body:
            raise _too_large(settings)
        chunks.append(chunk)
    return b"".join(chunks)


def _too_large(settings: Settings) -> Refusal:
    limit = settings.max_body
    return _refusal(
        413, "request-too-large", f"the request body is larger than {limit} bytes", limit=limit
    )


async def _json_body(request: Request, settings: Settings, kind: str) -> dict[str, Any]:
    raw = await _body(request, settings)
    try:
        body = parse_body(raw)
    except _NotJson as error:
        raise _refusal(
            400, "request-malformed", str(error), template=error.template, **error.params
        ) from None
    return _checked(body, kind)


# -- the endpoints -------------------------------------------------------------------------


class Service:
    """The state of one worker: its registry, settings and thread pool."""

    def __init__(self, registry: Registry, settings: Settings) -> None:
        self.registry = registry
        self.settings = settings
        self.limiter: anyio.CapacityLimiter | None = None
        self.document: dict[str, Any] | None = None

    async def run(self, function: Callable[..., Any], *args: Any) -> Any:
        """``function(*args)`` in the worker's thread pool, under the time limit."""
        if self.limiter is None:
            self.limiter = anyio.CapacityLimiter(self.settings.threads)
        with anyio.move_on_after(self.settings.timeout) as scope:
            return await anyio.to_thread.run_sync(
                functools.partial(function, *args), limiter=self.limiter, abandon_on_cancel=True
            )
        if scope.cancelled_caught:
            limit = f"{self.settings.timeout:g}"
            raise _refusal(
                504, "request-timeout", f"the request took more than {limit} s", limit=limit
            )
        raise AssertionError("unreachable")  # pragma: no cover

    def rubric(self, reference: str, year: int | None) -> Rubric:
        """A rubric the plugins offer (never a file path: callers are remote)."""
        entry = self.registry.reference(reference, year=year)
        return self.registry.load(entry)

    def entry(self, reference: str) -> RubricEntry:
        return self.registry.reference(reference)

    # the work each endpoint does off the event loop --------------------------------------

    def score(self, body: Mapping[str, Any]) -> dict[str, Any]:
        rubric = self.rubric(body["rubric"], body.get("year"))
        result = evaluate(
            rubric, body["inputs"], unit=body.get("unit"), trace=body.get("trace", True)
        )
        return result.to_dict()

    def batch(self, body: Mapping[str, Any], lang: str) -> dict[str, Any]:
        rubric = self.rubric(body["rubric"], body.get("year"))
        units: dict[str, Any] = {}
        problems = []
        for number, item in enumerate(body["units"], 1):
            name = item.get("unit") or str(number)
            if name in units:
                problems.append(
                    Problem(
                        "input-form",
                        f"unit {name!r} is given twice",
                        path=f"units[{number - 1}].unit",
                        unit=name,
                    )
                )
            units[name] = item["inputs"]
        if problems:
            raise InputError("the batch names a unit twice", problems)
        found = evaluate_many(rubric, units, trace=body.get("trace", False), errors="collect")
        return found.to_dict(lang)

    def explain(self, body: Mapping[str, Any], lang: str) -> dict[str, Any]:
        rubric = self.rubric(body["rubric"], body.get("year"))
        result = evaluate(rubric, body["inputs"], unit=body.get("unit"))
        wanted = body.get("indicator")
        rows = [result.indicator(wanted)] if wanted else list(result.walk())
        return {
            "rubric": rubric.ref,
            "unit": result.unit,
            "explanations": [
                {
                    "id": row.id,
                    "name": row.name,
                    "score": str(row.score),
                    "text": explain(result, row.id, rubric, lang),
                }
                for row in rows
            ],
        }

    def workbook(self, data: bytes, reference: str, year: int | None, lang: str) -> bytes:
        from rubriceng.outputs.spreadsheet import read_inputs, write_scoresheet

        rubric = self.rubric(reference, year)
        with tempfile.TemporaryDirectory(prefix="rubriceng-") as folder:
            form = Path(folder, UPLOADED)
            form.write_bytes(data)
            try:
                unit = read_inputs(form)
                result = evaluate(rubric, unit.inputs, unit=unit.unit, document=unit.document)
            except RubricengError as error:  # told as the caller knows the form
                raise _as_uploaded(error, form) from None
            scored = Path(folder, "result.xlsx")
            write_scoresheet(result, scored, rubric=rubric, inputs=unit.inputs, lang=lang)
            return scored.read_bytes()


UPLOADED = "form.xlsx"
"""The name a form sent to ``/v1/score/xlsx`` goes by in the problems found in it."""


def _as_uploaded(error: RubricengError, path: Path) -> RubricengError:
    """``error`` with the server's own copy of an uploaded form (a temporary path, of no
    use to the caller and not theirs to know) named :data:`UPLOADED`."""
    where = str(path)
    problems = [
        attrs.evolve(problem, file=UPLOADED) if problem.file == where else problem
        for problem in error.problems
    ]
    return type(error)(error.summary.replace(where, UPLOADED), problems)


def _lang(request: Request, body: Mapping[str, Any] | None = None) -> str:
    """The request's language: ``lang`` in the body or the query, else Accept-Language."""
    asked = (body or {}).get("lang") or request.query_params.get("lang")
    if asked:
        try:
            return language(str(asked))
        except ValueError:
            return language()
    for part in request.headers.get("accept-language", "").split(","):
        tag = part.split(";")[0].strip().lower()[:2]
        if tag in LANGUAGES:
            return tag
    return language()


def _year(request: Request) -> int | None:
    text = request.query_params.get("year")
    if text is None or text == "":
        return None
    first, last = EVALUATION_YEARS
    if not (text.isdecimal() and len(text) == 4 and first <= int(text) <= last):
        raise _refusal(
            422,
            "request-invalid",
            f"year must be between {first} and {last}, got {text[:20]!r}",
            field="year",
            template="request-year",
            value=text[:20],
            first=first,
            last=last,
        )
    return int(text)


def _outline(node: Indicator) -> dict[str, Any]:
    found: dict[str, Any] = {"id": node.id, "name": node.name, "points": str(node.points)}
    for key in ("name_en", "method", "description", "standard", "remarks"):
        value = getattr(node, key)
        if value:
            found[key] = value
    if node.children:
        found["children"] = [_outline(child) for child in node.children]
    return found


def _entry_json(entry: RubricEntry) -> dict[str, Any]:
    in_force = None
    if entry.in_force is not None:
        in_force = {
            "from": entry.in_force.start.isoformat() if entry.in_force.start else None,
            "to": entry.in_force.end.isoformat() if entry.in_force.end else None,
        }
    return {
        "ref": entry.ref,
        "id": entry.id,
        "version": entry.version,
        "title": entry.title,
        "level": entry.level,
        "region": {"name": entry.region_name, "code": entry.region_code},
        "in_force": in_force,
        "plugin": entry.plugin,
    }


def _rubric_json(rubric: Rubric) -> dict[str, Any]:
    return {
        "ref": rubric.ref,
        "id": rubric.id,
        "version": rubric.version,
        "title": rubric.title,
        "title_en": rubric.title_en,
        "total": str(rubric.total),
        "level": rubric.level,
        "grades": [{"name": grade.name, "minimum": str(grade.minimum)} for grade in rubric.grades],
        "indicators": [_outline(node) for node in rubric.indicators],
        "adjustments": [
            {
                "id": item.id,
                "name": item.name,
                "per_event": str(item.per_event),
                "max": None if item.max is None else str(item.max),
                **({"standard": item.standard} if item.standard else {}),
            }
            for item in rubric.adjustments
        ],
    }


Handler = Callable[[Service, Request], Awaitable[Response]]


def _endpoint(
    handler: Handler, *, open_to_all: bool = False
) -> Callable[[Request], Awaitable[Response]]:
    """A route: the token checked, and every failure answered as JSON in the request's
    language."""

    @functools.wraps(handler)
    async def route(request: Request) -> Response:
        service: Service = request.app.state.service
        try:
            if not open_to_all:
                _authorize(request, service.settings)
            return await handler(service, request)
        except Refusal as refusal:
            headers = {"WWW-Authenticate": "Bearer"} if refusal.status == 401 else None
            return JSONResponse(
                _refusal_json(refusal, _lang(request)), refusal.status, headers=headers
            )
        except RubricengError as error:
            status = next((code for kind, code in _STATUS if isinstance(error, kind)), 422)
            lang = request.state.lang if hasattr(request.state, "lang") else _lang(request)
            return JSONResponse(_error_json(error, lang), status)
        except Exception:
            LOG.exception("%s %s failed", request.method, request.url.path)
            message = "the service failed on this request; its log says why"
            return JSONResponse({"error": "internal", "message": message, "problems": []}, 500)

    return route


def _authorize(request: Request, settings: Settings) -> None:
    if settings.token is None:
        return
    given = request.headers.get("authorization", "")
    scheme, _, token = given.partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(
        token.strip().encode("utf-8"), settings.token.encode("utf-8")
    ):
        raise _refusal(401, "unauthorized", "this service needs 'Authorization: Bearer <token>'")


async def _health(service: Service, request: Request) -> Response:
    registry = service.registry
    entries = registry.rubrics()  # indexing first: a broken rubric file is a failure too
    failures = [str(failure) for failure in registry.failures]
    return JSONResponse(
        {
            "status": "degraded" if failures else "ok",
            "version": VERSION,
            "rubrics": len(entries),
            "plugins": [info.name for info in registry.plugins],
            "failures": failures,
        }
    )


async def _rubrics(service: Service, request: Request) -> Response:
    params = request.query_params
    entries = service.registry.rubrics(
        level=params.get("level") or None, region=params.get("region") or None, year=_year(request)
    )
    return JSONResponse({"rubrics": [_entry_json(entry) for entry in entries]})


async def _rubric(service: Service, request: Request) -> Response:
    reference = request.path_params["ref"]
    rubric = await service.run(service.rubric, reference, _year(request))
    return JSONResponse(_rubric_json(rubric))


async def _inputs_schema(service: Service, request: Request) -> Response:
    reference = request.path_params["ref"]
    rubric = await service.run(service.rubric, reference, _year(request))
    return JSONResponse(inputs_schema(rubric))


async def _score(service: Service, request: Request) -> Response:
    body = await _json_body(request, service.settings, "score")
    request.state.lang = _lang(request, body)
    return JSONResponse(await service.run(service.score, body))


async def _batch(service: Service, request: Request) -> Response:
    body = await _json_body(request, service.settings, "batch")
    request.state.lang = lang = _lang(request, body)
    return JSONResponse(await service.run(service.batch, body, lang))


async def _explain(service: Service, request: Request) -> Response:
    body = await _json_body(request, service.settings, "explain")
    request.state.lang = lang = _lang(request, body)
    return JSONResponse(await service.run(service.explain, body, lang))


async def _score_workbook(service: Service, request: Request) -> Response:
    reference = request.query_params.get("rubric")
    if not reference:
        raise _refusal(
            422,
            "request-invalid",
            "give the rubric as ?rubric=id@version",
            field="rubric",
            template="request-rubric",
        )
    data = await _body(request, service.settings)
    lang = request.state.lang = _lang(request)
    found = await service.run(service.workbook, data, reference, _year(request), lang)
    return Response(
        found,
        media_type=XLSX,
        headers={"Content-Disposition": 'attachment; filename="result.xlsx"'},
    )


async def _openapi(service: Service, request: Request) -> Response:
    if service.document is None:
        service.document = await service.run(openapi, service.settings, service.registry)
    return JSONResponse(service.document)


_DOCS_PAGE = """<!doctype html>
<html lang="zh"><head><meta charset="utf-8"><title>rubriceng service</title>
<link rel="stylesheet" href="https://cdn.jsdelivr.net/npm/swagger-ui-dist@5/swagger-ui.css">
</head><body><div id="ui"></div>
<script src="https://cdn.jsdelivr.net/npm/swagger-ui-dist@5/swagger-ui-bundle.js"></script>
<script>SwaggerUIBundle({url: "openapi.json", dom_id: "#ui"});</script>
<noscript>接口说明见 <a href="openapi.json">openapi.json</a>。</noscript>
</body></html>
"""


async def _docs(service: Service, request: Request) -> Response:
    return HTMLResponse(_DOCS_PAGE)


# -- the OpenAPI document ----------------------------------------------------------------


def _error_schema() -> dict[str, Any]:
    problem = {
        "type": "object",
        "required": ["code", "message", "text"],
        "properties": {
            "code": {"type": "string"},
            "message": {"type": "string"},
            "text": {"type": "string", "description": "the problem in the request's language"},
            "file": {"type": "string"},
            "line": {"type": "integer"},
            "path": {"type": "string"},
            "indicator": {"type": "string"},
            "field": {"type": "string"},
            "unit": {"type": "string"},
        },
    }
    return {
        "type": "object",
        "required": ["error", "message", "problems"],
        "properties": {
            "error": {"type": "string", "description": "the library's error code"},
            "message": {"type": "string"},
            "problems": {"type": "array", "items": problem},
        },
    }


def _json_content(schema: dict[str, Any]) -> dict[str, Any]:
    return {"application/json": {"schema": schema}}


def _errors(*statuses: int) -> dict[str, Any]:
    why = {
        400: "not JSON",
        401: "no or a wrong bearer token",
        404: "unknown rubric",
        413: "body over the limit",
        422: "invalid request or inputs",
        504: "over the time limit",
    }
    return {
        str(status): {
            "description": why[status],
            "content": _json_content({"$ref": "#/components/schemas/Error"}),
        }
        for status in statuses
    }


def openapi(settings: Settings | None = None, registry: Registry | None = None) -> dict[str, Any]:
    """The service's OpenAPI 3.1 document. Its schemas are rubriceng's own: results
    (``RESULT_SCHEMA``, ``BATCH_SCHEMA``) and the inputs of every rubric ``registry``
    offers (:func:`~rubriceng.outputs.schemas.inputs_schema`, as ``Inputs_<id@version>``), so
    the two cannot drift."""
    settings = settings or Settings()
    inputs = _inputs_components(registry) if registry is not None else {}
    secured: list[dict[str, list[str]]] = [{"bearer": []}] if settings.token else []
    ref = {
        "name": "ref",
        "in": "path",
        "required": True,
        "description": "id@version, or an id (then the version in force in `year`)",
        "schema": {"type": "string", "minLength": 1, "maxLength": 300},
    }
    year = {
        "name": "year",
        "in": "query",
        "required": False,
        "schema": {
            "type": "integer",
            "minimum": EVALUATION_YEARS[0],
            "maximum": EVALUATION_YEARS[1],
        },
    }
    lang = {
        "name": "lang",
        "in": "query",
        "required": False,
        "schema": {"type": "string", "enum": list(LANGUAGES)},
    }

    def post(kind: str, answer: dict[str, Any], summary: str) -> dict[str, Any]:
        return {
            "post": {
                "summary": summary,
                "security": secured,
                "requestBody": {
                    "required": True,
                    "content": _json_content(
                        {"$ref": f"#/components/schemas/{kind.capitalize()}Request"}
                    ),
                },
                "responses": {
                    "200": {"description": "scored", "content": _json_content(answer)},
                    **_errors(400, 401, 404, 413, 422, 504),
                },
            }
        }

    explained = {
        "type": "object",
        "required": ["rubric", "unit", "explanations"],
        "properties": {
            "rubric": {"type": "string"},
            "unit": {"type": ["string", "null"]},
            "explanations": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["id", "name", "score", "text"],
                    "properties": {
                        "id": {"type": "string"},
                        "name": {"type": "string"},
                        "score": {"type": "string"},
                        "text": {"type": "string"},
                    },
                },
            },
        },
    }
    health = {"type": "object", "required": ["status", "version", "rubrics", "plugins", "failures"]}
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "rubriceng",
            "version": VERSION,
            "description": "Scores units against 部门整体支出绩效 rubrics, exactly.",
        },
        "paths": {
            "/health": {
                "get": {
                    "summary": "Is the service up; which plugins failed",
                    "responses": {"200": {"description": "up", "content": _json_content(health)}},
                }
            },
            "/v1/rubrics": {
                "get": {
                    "summary": "The rubrics the service offers",
                    "security": secured,
                    "parameters": [
                        {"name": "level", "in": "query", "schema": {"type": "string"}},
                        {"name": "region", "in": "query", "schema": {"type": "string"}},
                        year,
                    ],
                    "responses": {
                        "200": {
                            "description": "the rubrics",
                            "content": _json_content(
                                {
                                    "type": "object",
                                    "required": ["rubrics"],
                                    "properties": {"rubrics": {"type": "array"}},
                                }
                            ),
                        },
                        **_errors(401, 422),
                    },
                }
            },
            "/v1/rubrics/{ref}": {
                "get": {
                    "summary": "A rubric's outline, with each indicator's rule texts",
                    "security": secured,
                    "parameters": [ref, year],
                    "responses": {
                        "200": {
                            "description": "the outline",
                            "content": _json_content(
                                {"type": "object", "required": ["ref", "indicators"]}
                            ),
                        },
                        **_errors(401, 404, 422, 504),
                    },
                }
            },
            "/v1/rubrics/{ref}/inputs": {
                "get": {
                    "summary": "The JSON Schema of a rubric's inputs",
                    "security": secured,
                    "parameters": [ref, year],
                    "responses": {
                        "200": {
                            "description": "a JSON Schema",
                            "content": _json_content({"type": "object"}),
                        },
                        **_errors(401, 404, 422, 504),
                    },
                }
            },
            "/v1/score": post("score", {"$ref": "#/components/schemas/Result"}, "Score one unit"),
            "/v1/batch": post(
                "batch",
                {"$ref": "#/components/schemas/Batch"},
                "Score many units; peer statistics over the batch",
            ),
            "/v1/explain": post("explain", explained, "Explain indicators' scores in words"),
            "/v1/score/xlsx": {
                "post": {
                    "summary": "Score a filled-in form (the xlsx of 'rubriceng template'); "
                    "the answer is the 指标评分表 workbook",
                    "security": secured,
                    "parameters": [{**ref, "name": "rubric", "in": "query"}, year, lang],
                    "requestBody": {
                        "required": True,
                        "content": {XLSX: {"schema": {"type": "string", "format": "binary"}}},
                    },
                    "responses": {
                        "200": {
                            "description": "the workbook",
                            "content": {XLSX: {"schema": {"type": "string", "format": "binary"}}},
                        },
                        **_errors(401, 404, 413, 422, 504),
                    },
                }
            },
        },
        "components": {
            "schemas": {
                "ScoreRequest": _with_inputs(_envelope_schema(_REQUESTS["score"]), inputs),
                "ExplainRequest": _with_inputs(_envelope_schema(_REQUESTS["explain"]), inputs),
                "BatchRequest": _with_inputs(_envelope_schema(_REQUESTS["batch"]), inputs),
                **inputs,
                **_published(),
                "Error": _error_schema(),
            },
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
        },
    }


def _inputs_components(registry: Registry) -> dict[str, Any]:
    """``Inputs_<id@version>``: the inputs object of each rubric the registry offers (a
    rubric that does not compile is left out; /health reports it)."""
    found: dict[str, Any] = {}
    for entry in registry.rubrics():
        try:
            schema = inputs_schema(registry.load(entry))
        except RubricengError:
            continue
        name = "Inputs_" + re.sub(r"[^A-Za-z0-9._-]", "_", entry.ref)
        found[name] = {"title": schema.get("title"), **schema["properties"]["inputs"]}
    return found


def _with_inputs(envelope: dict[str, Any], inputs: Mapping[str, Any]) -> dict[str, Any]:
    """The request envelope with its ``inputs`` pointing at the rubrics' inputs schemas."""
    if not inputs:
        return envelope
    choices = {
        "anyOf": [{"$ref": f"#/components/schemas/{name}"} for name in inputs],
        "description": "the inputs of the rubric named in `rubric`: its schema "
        "Inputs_<id@version> (GET /v1/rubrics/{ref}/inputs)",
    }
    properties = dict(envelope["properties"])
    if "inputs" in properties:
        properties["inputs"] = choices
    if "units" in properties:
        items = properties["units"]["items"]
        properties["units"] = {
            **properties["units"],
            "items": {**items, "properties": {**items["properties"], "inputs": choices}},
        }
    return {**envelope, "properties": properties}


def _published() -> dict[str, Any]:
    """The published result schemas as OpenAPI components: their ``$defs`` lifted beside
    them and every reference pointed there (the schemas themselves, not a copy to drift)."""
    moved = {
        "#/$defs/indicator": "#/components/schemas/Indicator",
        RESULT_SCHEMA["$id"]: "#/components/schemas/Result",
    }

    def pointed(value: Any) -> Any:
        if isinstance(value, dict):
            kept = {
                key: item for key, item in value.items() if key not in ("$schema", "$id", "$defs")
            }
            return {
                key: moved.get(item, item) if key == "$ref" else pointed(item)
                for key, item in kept.items()
            }
        if isinstance(value, list):
            return [pointed(item) for item in value]
        return value

    found = {
        "Result": pointed(RESULT_SCHEMA),
        "Batch": pointed(BATCH_SCHEMA),
        "Indicator": pointed(RESULT_SCHEMA["$defs"]["indicator"]),
    }
    unresolved = {
        ref
        for ref in re.findall(r'"\$ref": "([^"]+)"', json.dumps(found))
        if not ref.startswith("#/components/schemas/")
    }
    if unresolved:  # a new reference in the published schemas must be placed here too
        raise AssertionError(f"references left unresolved: {sorted(unresolved)}")
    return found


# -- the application -------------------------------------------------------------------------


async def _not_routed(request: Request, error: Exception) -> Response:
    """A path no endpoint has (404) or a method its endpoint does not take (405), answered
    as every refusal is: JSON, in the request's language (the ``Allow`` header kept)."""
    status = error.status_code if isinstance(error, HTTPException) else 404
    headers = dict(error.headers or {}) if isinstance(error, HTTPException) else {}
    path = printable(request.url.path)[:100]
    if status == 405:
        given = next((value for key, value in headers.items() if key.lower() == "allow"), "")
        allowed = ", ".join(sorted(method.strip() for method in given.split(",") if method))
        headers = {"Allow": allowed}  # (starlette's order is a set's: it varies by process)
        refusal = _refusal(
            405,
            "method-not-allowed",
            f"{path} takes no {request.method} request; it takes {allowed}",
            method=request.method[:20],
            path=path,
            allowed=allowed,
        )
    else:
        refusal = _refusal(
            404, "route-not-found", f"no endpoint is at {path}; see /docs", path=path
        )
    return JSONResponse(_refusal_json(refusal, _lang(request)), status, headers=headers or None)


def create_app(registry: Registry | None = None, settings: Settings | None = None) -> Starlette:
    """The service as an ASGI application (for uvicorn, or any ASGI server)."""
    quiet_readers()
    service = Service(registry or Registry(), settings or Settings())
    app = Starlette(
        exception_handlers={404: _not_routed, 405: _not_routed},
        routes=[
            Route("/health", _endpoint(_health, open_to_all=True)),
            Route("/openapi.json", _endpoint(_openapi, open_to_all=True)),
            Route("/docs", _endpoint(_docs, open_to_all=True)),
            Route("/v1/rubrics", _endpoint(_rubrics)),
            Route("/v1/rubrics/{ref:path}/inputs", _endpoint(_inputs_schema)),
            Route("/v1/rubrics/{ref:path}", _endpoint(_rubric)),
            Route("/v1/score", _endpoint(_score), methods=["POST"]),
            Route("/v1/batch", _endpoint(_batch), methods=["POST"]),
            Route("/v1/explain", _endpoint(_explain), methods=["POST"]),
            Route("/v1/score/xlsx", _endpoint(_score_workbook), methods=["POST"]),
        ],
    )
    app.state.service = service
    return app


def app_from_environment() -> Starlette:
    """The application a worker process serves: settings from :data:`ENVIRONMENT`
    (``uvicorn --factory rubriceng.service:app_from_environment``)."""
    from rubriceng.host.registry import search_path

    return create_app(Registry(search_path=search_path()), Settings.from_environment())


def is_loopback(host: str) -> bool:
    """True for an address only this machine can reach."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def serve(
    host: str = "127.0.0.1", port: int = 8000, *, workers: int = 1, settings: Settings | None = None
) -> None:
    """Run the service with uvicorn until it is stopped (Ctrl-C or SIGTERM)."""
    import uvicorn

    settings = settings or Settings()
    environment = {
        ENVIRONMENT["max_body"]: str(settings.max_body),
        ENVIRONMENT["timeout"]: str(settings.timeout),
        ENVIRONMENT["threads"]: str(settings.threads),
    }
    if settings.token:
        environment[ENVIRONMENT["token"]] = settings.token
    os.environ.update(environment)  # the worker processes read their settings from here
    uvicorn.run(
        "rubriceng.service:app_from_environment",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level="info",
        server_header=False,
        http="rubriceng.service:NoDelayProtocol",
        limit_concurrency=256,
        timeout_graceful_shutdown=10,
    )


@functools.cache
def _no_delay_protocol() -> type[Any]:
    """uvicorn's h11 protocol, with Nagle's algorithm off on every connection.

    With ``--workers`` above 1, uvicorn binds the listening socket itself and leaves its
    protocol number at 0, so asyncio does not set TCP_NODELAY on accepted connections, and
    each keep-alive request after the first waits ~40 ms for the client's delayed ACK
    (uvicorn issue #3149). Setting it here makes every worker count answer alike.
    """
    from uvicorn.protocols.http.h11_impl import H11Protocol

    class NoDelay(H11Protocol):
        def connection_made(self, transport: Any) -> None:
            sock = transport.get_extra_info("socket")
            if sock is not None and sock.family in (socket.AF_INET, socket.AF_INET6):
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            super().connection_made(transport)

    return NoDelay


def __getattr__(name: str) -> Any:
    if name == "NoDelayProtocol":  # built on first use: uvicorn is an optional dependency
        return _no_delay_protocol()
    raise AttributeError(f"module 'rubriceng.service' has no attribute {name!r}")
