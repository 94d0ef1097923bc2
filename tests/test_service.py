"""The HTTP service against a real server: `rubriceng serve` started on a free loopback
port in a subprocess, called with httpx, stopped at the end."""

from __future__ import annotations

import asyncio
import io
import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml

httpx = pytest.importorskip("httpx")
pytest.importorskip("starlette")
pytest.importorskip("uvicorn")

import rubriceng  # noqa: E402
from rubriceng.outputs.explanation import explain  # noqa: E402
from rubriceng.outputs.schemas import RESULT_SCHEMA, inputs_schema  # noqa: E402
from rubriceng.service import parse_body  # noqa: E402
from tests.conftest import HUIZHOU_UNIT, PLUGINS_INSTALLED, ROOT, needs_plugins  # noqa: E402

REF = "cn.gd.huizhou/dept-overall@2020"
UNIT = yaml.safe_load(HUIZHOU_UNIT.read_text(encoding="utf-8"))


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Server:
    """`rubriceng serve ARGS` on a free loopback port, until stopped."""

    def __init__(self, *args: str, env: dict[str, str] | None = None, cwd: Path = ROOT) -> None:
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        command = [sys.executable, "-m", "rubriceng", "serve", "--port", str(self.port), *args]
        environ = {
            key: value
            for key, value in os.environ.items()  # the bundled rubric
            if not key.startswith("RUBRICENG_")  # files are on the path where their
            or (key == "RUBRICENG_PATH" and not PLUGINS_INSTALLED)
        }  # plugins are not
        self.process = subprocess.Popen(
            command,
            cwd=cwd,
            env={**environ, **(env or {})},
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                output = self.process.stdout.read().decode() if self.process.stdout else ""
                raise RuntimeError(f"the server stopped: {output}")
            try:
                if httpx.get(f"{self.url}/health", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                time.sleep(0.1)
        self.stop()
        raise RuntimeError("the server did not answer in 30 s")

    def stop(self) -> str:
        self.process.terminate()
        try:
            output, _ = self.process.communicate(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            output, _ = self.process.communicate()
        return output.decode("utf-8", "replace")


@pytest.fixture(scope="module")
def server() -> Iterator[Server]:
    running = Server("--workers", "2")
    yield running
    log = running.stop()
    assert "Traceback" not in log, log


@pytest.fixture(scope="module")
def client(server: Server) -> Iterator[Any]:
    with httpx.Client(base_url=server.url, timeout=60) as session:
        yield session


@pytest.fixture(scope="module")
def rubric() -> rubriceng.Rubric:
    return rubriceng.find_rubric(REF)


def _score_body(**extra: Any) -> dict[str, Any]:
    return {"rubric": REF, "unit": UNIT["unit"], "inputs": UNIT["inputs"], **extra}


def _json(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, default=str)


def _valid(answer: Any, name: str, client: Any) -> None:
    """``answer`` keeps the schema ``name`` of the service's own OpenAPI document."""
    jsonschema = pytest.importorskip("jsonschema")
    document = client.get("/openapi.json").json()
    schema = {"$ref": f"#/components/schemas/{name}", "components": document["components"]}
    jsonschema.Draft202012Validator(schema).validate(answer)


# -- what it answers -----------------------------------------------------------------------


@needs_plugins
def test_health_names_the_plugins_and_no_failure(client):
    answer = client.get("/health")
    assert answer.status_code == 200
    found = answer.json()
    assert (found["status"], found["failures"], found["version"]) == ("ok", [], "0.1.0")
    assert {"rubriceng", "gd_huizhou", "gd_lianjiang", "gd_province"} <= set(found["plugins"])
    assert found["rubrics"] == len(rubriceng.default_registry().rubrics())


def test_rubrics_are_listed_with_filters(client):
    every = client.get("/v1/rubrics").json()["rubrics"]
    assert [entry["ref"] for entry in every] == [
        entry.ref for entry in rubriceng.default_registry().rubrics()
    ]
    in_2025 = client.get("/v1/rubrics", params={"region": "惠州", "year": 2025}).json()
    assert [(entry["ref"], entry["in_force"]["from"]) for entry in in_2025["rubrics"]] == [
        ("cn.gd.huizhou/dept-overall@2025", "2025-01-01")
    ]
    cities = client.get("/v1/rubrics", params={"level": "city"}).json()["rubrics"]
    assert {entry["level"] for entry in cities} == {"city"}
    assert client.get("/v1/rubrics", params={"year": "1800"}).status_code == 422
    for year in ("9" * 5000, "02025", "２０２５x", "-2025"):  # 5,000 digits: it was a 500
        for path in ("/v1/rubrics", "/v1/rubrics/cn.gd.huizhou/dept-overall"):
            answer = client.get(path, params={"year": year, "lang": "en"})
            assert answer.status_code == 422, (path, year)
            assert answer.json()["message"] == (
                f"year: year must be between 1949 and 2200, got {year[:20]} [request-invalid]"
            )


def test_a_rubrics_outline_carries_its_rule_texts_and_its_inputs_schema(client, rubric):
    outline = client.get(f"/v1/rubrics/{REF}").json()
    assert (outline["ref"], outline["total"]) == (REF, "100.00")
    nodes = {}
    stack = list(outline["indicators"])
    while stack:
        node = stack.pop()
        nodes[node["id"]] = node
        stack += node.get("children", [])
    procurement = rubric.indicator("procurement_rate")
    assert nodes["procurement_rate"]["standard"] == procurement.standard
    assert nodes["procurement_rate"]["points"] == "2.00"
    assert [item["id"] for item in outline["adjustments"]] == [
        item.id for item in rubric.adjustments
    ]
    assert client.get(f"/v1/rubrics/{REF}/inputs").json() == inputs_schema(rubric)
    by_year = client.get("/v1/rubrics/cn.gd.huizhou/dept-overall", params={"year": 2021})
    assert by_year.json()["ref"] == REF


def test_score_answers_the_library_s_result(client, rubric):
    answer = client.post("/v1/score", content=_json(_score_body()))
    assert answer.status_code == 200, answer.text
    found = answer.json()
    assert (found["total"], found["grade"]) == ("97.86", "优")
    expected = rubriceng.evaluate(rubric, UNIT["inputs"], unit=UNIT["unit"]).to_dict()
    assert found == json.loads(_json(expected))
    _valid(found, "Result", client)
    quick = client.post("/v1/score", content=_json(_score_body(trace=False))).json()
    assert quick["total"] == "97.86"
    assert all(row["trace"] == {} for row in quick["indicators"])


def test_batch_scores_many_units_with_peer_statistics_over_the_batch(client, rubric):
    other = dict(UNIT["inputs"], procurement_actual="1331100")
    units = [
        {"unit": "甲", "inputs": UNIT["inputs"]},
        {"unit": "乙", "inputs": other},
        {"unit": "丙", "inputs": {"revenue_final": "x"}},
    ]
    answer = client.post("/v1/batch", content=_json({"rubric": REF, "units": units}))
    assert answer.status_code == 200, answer.text
    found = answer.json()
    expected = rubriceng.evaluate_many(
        rubric, {item["unit"]: item["inputs"] for item in units}, trace=False, errors="collect"
    ).to_dict()
    assert found["results"] == json.loads(_json(expected["results"]))
    assert [result["total"] for result in found["results"]] == ["97.86", "98.00"]
    (failure,) = found["failures"]
    assert (failure["unit"], failure["error"]) == ("丙", "input-invalid")
    first = failure["problems"][0]
    assert first["text"] == (
        "单位「丙」 财政拨款收入决算数（revenue_final）：应为数值，实际为 'x'，"
        "用于财政拨款收入预决算差异率 [input-invalid]"
    )
    _valid(found, "Batch", client)
    twice = client.post("/v1/batch", content=_json({"rubric": REF, "units": units[:1] * 2}))
    assert twice.status_code == 422
    assert twice.json()["problems"][0]["path"] == "units[1].unit"


def test_explain_speaks_the_request_s_language_and_takes_chinese_names(client, rubric):
    result = rubriceng.evaluate(rubric, UNIT["inputs"], unit=UNIT["unit"])
    for lang in ("zh", "en"):
        body = _score_body(indicator="政府采购执行率", lang=lang)
        found = client.post("/v1/explain", content=_json(body)).json()
        (one,) = found["explanations"]
        assert (one["id"], one["score"]) == ("procurement_rate", "1.86")
        assert one["text"] == explain(result, "procurement_rate", rubric, lang)
    every = client.post("/v1/explain", content=_json(_score_body())).json()["explanations"]
    assert [item["id"] for item in every] == [row.id for row in result.walk()]
    unknown = client.post("/v1/explain", content=_json(_score_body(indicator="政府采购率")))
    assert unknown.status_code == 404
    assert unknown.json()["problems"][0]["code"] == "indicator-not-found"


def test_a_filled_form_comes_back_as_the_scored_workbook(client, rubric, tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    from rubriceng.outputs.spreadsheet import write_scoresheet

    result = rubriceng.evaluate(rubric, UNIT["inputs"], unit=UNIT["unit"])
    form = tmp_path / "form.xlsx"
    write_scoresheet(result, form, rubric=rubric, inputs=UNIT["inputs"])  # its inputs sheet
    answer = client.post("/v1/score/xlsx", params={"rubric": REF}, content=form.read_bytes())
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"].startswith("application/vnd.openxmlformats")
    book = openpyxl.load_workbook(io.BytesIO(answer.content))
    texts = [
        str(cell)
        for row in book.worksheets[0].iter_rows(values_only=True)
        for cell in row
        if cell is not None
    ]
    assert "97.86" in texts or Decimal("97.86") in [
        Decimal(str(cell)) for cell in texts if cell.replace(".", "", 1).isdigit()
    ]
    missing = client.post("/v1/score/xlsx", content=form.read_bytes())
    assert missing.status_code == 422
    assert missing.json()["problems"][0]["text"] == (
        "rubric：请以 ?rubric=id@version 给出评分表 [request-invalid]"
    )
    broken = client.post("/v1/score/xlsx", params={"rubric": REF}, content=b"not a workbook")
    assert broken.status_code == 422
    # the caller's form, by the name the API gives it: never the server's temporary copy
    assert broken.json()["message"] == (
        "form.xlsx 的填报数据有误（1 个问题）：\n"
        "  - form.xlsx：不是 Excel 工作簿：文件不是 zip 格式（.xlsx 工作簿是 zip 压缩包）"
        " [input-form]"
    )
    assert [problem["file"] for problem in broken.json()["problems"]] == ["form.xlsx"]
    empty = client.post("/v1/score/xlsx", params={"rubric": REF, "lang": "en"}, content=b"")
    assert "/tmp" not in empty.text and "rubriceng-" not in empty.text, empty.text
    book = openpyxl.load_workbook(form)  # filled in by a script: a formula and no value
    sheet = book["填报数据"]
    row = next(row for row in sheet.iter_rows(min_row=5) if row[0].value == "procurement_plan")
    row[2].value = "=1331100*1"
    book.save(form)
    scripted = client.post("/v1/score/xlsx", params={"rubric": REF}, content=form.read_bytes())
    assert scripted.status_code == 422
    assert [(p["code"], p["file"], p["line"]) for p in scripted.json()["problems"]] == [
        ("input-formula", "form.xlsx", row[0].row)
    ]


# -- errors ----------------------------------------------------------------------------------


def test_bad_inputs_are_422_with_every_problem_in_the_request_s_language(client):
    body = _score_body(inputs={**UNIT["inputs"], "revenue_final": "x", "revenu_budget": 1})
    answer = client.post("/v1/score", content=_json(body))
    assert answer.status_code == 422
    found = answer.json()
    assert found["error"] == "input-invalid"
    codes = [(problem["code"], problem.get("field")) for problem in found["problems"]]
    assert ("input-invalid", "revenue_final") in codes
    assert ("input-invalid", "revenu_budget") in codes
    assert found["message"].startswith("单位「惠州市人民政府办公室」的填报数据有误（2 个问题）：")
    english = client.post("/v1/score", content=_json({**body, "lang": "en"})).json()
    assert english["message"].startswith("invalid inputs for unit")
    assert "財" not in english["problems"][0]["text"]
    by_header = client.post(
        "/v1/score", content=_json(body), headers={"Accept-Language": "en-GB,en;q=0.9"}
    ).json()
    assert by_header["message"] == english["message"]


def test_each_kind_of_refusal_has_its_status_and_code(client):
    cases = [
        ({"rubric": "nope", "inputs": {}}, 404, "rubric-not-found"),
        ({"rubric": "/etc/passwd", "inputs": {}}, 404, "rubric-not-found"),
        (
            {"rubric": str(ROOT / "rubrics" / "cn" / "dept-overall-framework.yaml"), "inputs": {}},
            404,
            "rubric-not-found",
        ),  # a path is never read: callers are remote
        ({"rubric": REF}, 422, "request-invalid"),
        ({"rubric": REF, "inputs": [], "lang": "fr"}, 422, "request-invalid"),
        ([1, 2], 422, "request-invalid"),
    ]
    for body, status, code in cases:
        answer = client.post("/v1/score", content=_json(body))
        assert (answer.status_code, answer.json()["error"]) == (status, code), body
    invalid = client.post("/v1/score", content=_json({"rubric": REF}), params={"lang": "en"})
    assert invalid.json()["problems"][0]["text"] == "inputs: required field [request-invalid]"
    for raw in (b'{"rubric": ', b'{"rubric": NaN}', b"\xff\xfe", b"[" * 100_000):
        answer = client.post("/v1/score", content=raw)
        assert (answer.status_code, answer.json()["error"]) == (400, "request-malformed"), raw[:9]
    big = client.post("/v1/score", content=b" " * (1 << 20) + b"{}")
    assert (big.status_code, big.json()["error"]) == (413, "request-too-large")
    assert big.json()["message"] == "请求体超过 1048576 字节的上限 [request-too-large]"


@pytest.mark.parametrize(
    ("raw", "chinese", "english"),
    [
        (
            b'{"rubric": ',
            "请求体不是有效的 JSON：第 1 行第 12 列：此处应为一个值",
            "the request body is not JSON: Expecting value at line 1, column 12",
        ),
        (
            b'{"rubric": "x",\n "inputs" {}}',
            "请求体不是有效的 JSON：第 2 行第 11 列：此处应为冒号「:」",
            "the request body is not JSON: Expecting ':' delimiter at line 2, column 11",
        ),
        (
            b'{"rubric": "x" "inputs": {}}',
            "请求体不是有效的 JSON：第 1 行第 16 列：此处应为逗号「,」",
            "the request body is not JSON: Expecting ',' delimiter at line 1, column 16",
        ),
        (
            b'{"rubric": "x", }',
            "请求体不是有效的 JSON：第 1 行第 17 列：此处应为用双引号括起的键",
            "the request body is not JSON: Expecting property name enclosed in double quotes "
            "at line 1, column 17",
        ),
        (
            b'{"rubric": "x}',
            "请求体不是有效的 JSON：第 1 行第 12 列起的字符串没有结束",
            "the request body is not JSON: Unterminated string starting at line 1, column 12",
        ),
        (
            b'{"unit": "a\x01"}',
            "请求体不是有效的 JSON：第 1 行第 12 列有不允许的控制字符",
            "the request body is not JSON: Invalid control character at line 1, column 12",
        ),
        (
            b'{"unit": "\\q"}',
            "请求体不是有效的 JSON：第 1 行第 11 列有无效的转义「\\」",
            "the request body is not JSON: Invalid \\escape at line 1, column 11",
        ),
        (
            b"{} []",
            "请求体不是有效的 JSON：第 1 行第 4 列：一个 JSON 值之后还有多余内容",
            "the request body is not JSON: Extra data at line 1, column 4",
        ),
        (
            b'{"rubric": Infinity}',
            "请求体不是有效的 JSON：Infinity 不是 JSON 允许的数值",
            "the request body is not JSON: Infinity is not a number JSON allows",
        ),
        (
            b"\xff\xfe{}",
            "请求体不是 UTF-8 编码的文字（第 1 个字节）",
            "the request body is not UTF-8 text (byte 1)",
        ),
        (b"[" * 100_000, "请求体嵌套过深", "the request body is nested too deeply"),
        (
            b'{"inputs": {"revenue_final": ' + b"9" * 5000 + b"}}",
            "请求体中的数 99999999999999999999… 超过 100 位",
            "the request body has a number of more than 100 digits: 99999999999999999999…",
        ),
        (
            b'{"rubric": "x", "year": 1e' + b"9" * 400 + b"}",
            "请求体中的数 1e999999999999999999… 过大，无法读取",
            "the request body has a number too large to read: 1e999999999999999999…",
        ),
        (
            b'{"rubric": "x", "year": -' + b"1" * 101 + b"}",
            "请求体中的数 -1111111111111111111… 超过 100 位",
            "the request body has a number of more than 100 digits: -1111111111111111111…",
        ),
        (
            b'{"rubric": "x", "inputs": {"revenue_final": 1, "revenue_final": 2}}',
            "请求体的同一个对象中键 'revenue_final' 出现了两次",
            "the request body gives the key 'revenue_final' twice in one object",
        ),
        (
            b'{"inputs": {}, "rubric": "x", "inputs": {"a": 1}}',
            "请求体的同一个对象中键 'inputs' 出现了两次",
            "the request body gives the key 'inputs' twice in one object",
        ),
        (
            b'{"rubric": "x", "unit": "\\u5355\\u4f4d\\ud800", "inputs": {}}',
            "请求体中的文字含有不成对的代理项（不是有效的 Unicode 文字）：'单位\\\\ud800'",
            "the request body has text with half of a surrogate pair: '单位\\\\ud800'",
        ),
        (
            b'{"rubric": "x", "inputs": {"\\udfff": 1}}',
            "请求体中的文字含有不成对的代理项（不是有效的 Unicode 文字）：'\\\\udfff'",
            "the request body has text with half of a surrogate pair: '\\\\udfff'",
        ),
    ],
    ids=[
        "value",
        "colon",
        "comma",
        "key",
        "string",
        "control",
        "escape",
        "extra",
        "infinity",
        "utf8",
        "deep",
        "digits",
        "exponent",
        "negative digits",
        "duplicate input",
        "duplicate field",
        "lone surrogate",
        "lone surrogate key",
    ],
)
def test_a_body_that_is_not_json_is_told_where_in_the_users_language(client, raw, chinese, english):
    """Never a parser's English inside a Chinese message; a key given twice (last value
    wins in Python's json) is refused as files refuse it, never scored."""
    for endpoint in ("/v1/score", "/v1/batch", "/v1/explain"):
        answer = client.post(endpoint, content=raw)
        assert answer.status_code == 400, answer.text
        found = answer.json()
        assert found["error"] == "request-malformed"
        assert found["message"] == f"{chinese} [request-malformed]"
    told = client.post("/v1/score", content=raw, params={"lang": "en"}).json()
    assert told["message"] == f"{english} [request-malformed]"
    assert told["problems"][0]["message"] == english


def test_text_with_a_surrogate_pair_is_read_as_its_character():
    body = parse_body(b'{"unit": "\\ud83d\\ude00\\u5355\\u4f4d", "a": ["\\uD83D\\uDE00"]}')
    assert body == {"unit": "\U0001f600单位", "a": ["\U0001f600"]}


def test_a_body_with_a_byte_order_mark_is_read():
    assert parse_body(b'\xef\xbb\xbf{"unit": "\xe6\x94\xbf"}') == {"unit": "政"}
    assert parse_body(b'{"rate": 0.95}') == {"rate": Decimal("0.95")}


def test_64_concurrent_requests_get_identical_answers(server):
    async def run() -> list[Any]:
        async with httpx.AsyncClient(base_url=server.url, timeout=120) as session:
            body = _json(_score_body())
            answers = await asyncio.gather(
                *(session.post("/v1/score", content=body) for _ in range(64))
            )
            return [(answer.status_code, answer.content) for answer in answers]

    answers = asyncio.run(run())
    assert {status for status, _ in answers} == {200}
    assert len({content for _, content in answers}) == 1


# -- a second server: token, time limit, a broken plugin -----------------------------------


def test_token_time_limit_and_a_broken_rubric_file(tmp_path):
    (tmp_path / "broken.yaml").write_text("id: [unclosed\n", encoding="utf-8")
    path = os.pathsep.join([str(tmp_path), *filter(None, [os.environ.get("RUBRICENG_PATH")])])
    running = Server(
        "--token", "s3cret", "--timeout", "0.05", env={"RUBRICENG_PATH": path}, cwd=tmp_path
    )
    try:
        with httpx.Client(base_url=running.url, timeout=60) as session:
            health = session.get("/health").json()  # open to all, for load balancers
            assert health["status"] == "degraded"
            assert any("broken.yaml" in failure for failure in health["failures"])
            refused = session.get("/v1/rubrics")
            assert (refused.status_code, refused.headers["www-authenticate"]) == (401, "Bearer")
            assert refused.json()["error"] == "unauthorized"
            wrong = session.get("/v1/rubrics", headers={"Authorization": "Bearer nope"})
            assert wrong.status_code == 401
            key = {"Authorization": "Bearer s3cret"}
            assert session.get("/v1/rubrics", headers=key).status_code == 200
            units = [{"unit": str(number), "inputs": UNIT["inputs"]} for number in range(300)]
            slow = session.post(
                "/v1/batch", headers=key, content=_json({"rubric": REF, "units": units})
            )
            assert (slow.status_code, slow.json()["error"]) == (504, "request-timeout")
            assert session.get("/health").status_code == 200  # still up
    finally:
        running.stop()


def test_listing_beyond_loopback_needs_a_token_or_insecure():
    from click.testing import CliRunner

    from rubriceng.cli import main

    refused = CliRunner().invoke(main, ["serve", "--host", "0.0.0.0"])
    assert refused.exit_code == 2
    assert "请给出 --token（或 $RUBRICENG_TOKEN）；若前置代理负责校验来访者，用 --insecure" in (
        refused.output
    )
    english = CliRunner().invoke(main, ["--lang", "en", "serve", "--host", "0.0.0.0"])
    assert "give --token (or $RUBRICENG_TOKEN), or --insecure" in english.output


# -- the contract -----------------------------------------------------------------------------


def test_the_openapi_document_reuses_the_published_schemas(client, rubric):
    document = client.get("/openapi.json").json()
    schemas = document["components"]["schemas"]
    inputs = inputs_schema(rubric)
    assert schemas["Inputs_cn.gd.huizhou_dept-overall_2020"] == json.loads(
        json.dumps({"title": inputs["title"], **inputs["properties"]["inputs"]})
    )
    assert {"$ref": "#/components/schemas/Inputs_cn.gd.huizhou_dept-overall_2020"} in schemas[
        "ScoreRequest"
    ]["properties"]["inputs"]["anyOf"]
    published = json.dumps(RESULT_SCHEMA["properties"]).replace(
        "#/$defs/indicator", "#/components/schemas/Indicator"
    )  # the one reference moved
    assert schemas["Result"]["properties"] == json.loads(published)
    assert (
        schemas["Indicator"]["properties"].keys()
        == RESULT_SCHEMA["$defs"]["indicator"]["properties"].keys()
    )
    assert schemas["Batch"]["properties"]["results"]["items"] == {
        "$ref": "#/components/schemas/Result"
    }
    assert sorted(document["paths"]) == [
        "/health",
        "/v1/batch",
        "/v1/explain",
        "/v1/rubrics",
        "/v1/rubrics/{ref}",
        "/v1/rubrics/{ref}/inputs",
        "/v1/score",
        "/v1/score/xlsx",
    ]
    page = client.get("/docs")
    assert page.headers["content-type"].startswith("text/html")
    assert 'SwaggerUIBundle({url: "openapi.json"' in page.text


def test_schemathesis_finds_no_server_error_and_no_answer_breaking_its_schema(server):
    schemathesis = pytest.importorskip("schemathesis")
    from hypothesis import HealthCheck, given, settings

    schema = schemathesis.openapi.from_url(f"{server.url}/openapi.json")
    checked = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        if operation.path == "/v1/score/xlsx":
            continue  # a binary body; its refusals are tested above

        @settings(
            max_examples=25,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        @given(case=operation.as_strategy())
        def check(case: Any) -> None:
            case.call_and_validate(base_url=server.url, timeout=60)

        check()
        checked += 1
    assert checked == 7


def test_a_path_or_a_method_no_endpoint_has_is_refused_as_json_in_the_users_language(client):
    """A Java or .NET client reads every refusal the same way: starlette's own plain-text
    'Not Found' and 'Method Not Allowed' are answered as JSON refusals too."""
    missing = client.get("/v1/nowhere")
    assert (missing.status_code, missing.headers["content-type"]) == (404, "application/json")
    assert missing.json()["error"] == "route-not-found"
    assert missing.json()["message"] == "没有接口 /v1/nowhere；可用的接口见 /docs [route-not-found]"
    english = client.get("/v1/nowhere", headers={"accept-language": "en"}).json()
    assert english["message"] == "no endpoint is at /v1/nowhere; see /docs [route-not-found]"
    wrong = client.get("/v1/score")
    assert (wrong.status_code, wrong.headers["allow"]) == (405, "POST")
    assert wrong.json()["message"] == "/v1/score 不接受 GET 请求；可用：POST [method-not-allowed]"
    posted = client.post("/v1/rubrics", params={"lang": "en"}).json()
    assert posted["message"] == (
        "/v1/rubrics takes no POST request; it takes GET, HEAD [method-not-allowed]"
    )
    shown = client.get("/\u202e").json()["message"]
    assert "\u202e" not in shown and "\\u202e" in shown
