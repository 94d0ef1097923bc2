"""A bounded load test of `rubriceng serve`, on loopback only.

    python benchmarks/service.py [--requests 400] [--workers 1]

It starts the service on a free loopback port, sends a fixed number of POST /v1/score
requests (the 惠州 2020 seed unit, with traces and without) at 1, 4 and 16 concurrent
clients, and stops the service: nothing runs past the last answer. For each it prints
requests per second and the p50 and p99 latency, beside the time the library itself takes
for the same unit in this process (so the cost of HTTP — JSON both ways, the thread pool,
the loopback — is the difference). The table goes into docs/service.md.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx
import yaml

import rubriceng

ROOT = Path(__file__).resolve().parent.parent
REF = "cn.gd.huizhou/dept-overall@2020"
UNIT = yaml.safe_load((ROOT / "examples/huizhou-2020-office.yaml").read_text(encoding="utf-8"))


def _port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _start(workers: int) -> tuple[subprocess.Popen[bytes], str]:
    port = _port()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "rubriceng",
            "serve",
            "--port",
            str(port),
            "--workers",
            str(workers),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={key: value for key, value in os.environ.items() if key != "RUBRICENG_TOKEN"},
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{url}/health", timeout=1).status_code == 200:
                return process, url
        except httpx.HTTPError:
            time.sleep(0.1)
    process.kill()
    raise SystemExit("the service did not start")


async def _load(url: str, body: bytes, requests: int, clients: int) -> tuple[float, list[float]]:
    latencies: list[float] = []
    queue = iter(range(requests))

    async def client(session: httpx.AsyncClient) -> None:
        for _ in queue:
            start = time.perf_counter()
            answer = await session.post("/v1/score", content=body)
            latencies.append(time.perf_counter() - start)
            if answer.status_code != 200:
                raise SystemExit(f"status {answer.status_code}: {answer.text[:200]}")

    limits = httpx.Limits(max_connections=clients)
    async with httpx.AsyncClient(base_url=url, timeout=120, limits=limits) as session:
        await session.post("/v1/score", content=body)  # the rubric loaded and compiled
        start = time.perf_counter()
        await asyncio.gather(*(client(session) for _ in range(clients)))
        elapsed = time.perf_counter() - start
    return requests / elapsed, latencies


def _library(trace: bool, rounds: int = 200) -> float:
    rubric = rubriceng.find_rubric(REF)
    rubriceng.evaluate(rubric, UNIT["inputs"], trace=trace)
    start = time.perf_counter()
    for _ in range(rounds):
        rubriceng.evaluate(rubric, UNIT["inputs"], unit=UNIT["unit"], trace=trace).to_dict()
    return (time.perf_counter() - start) / rounds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--workers", type=int, default=1)
    options = parser.parse_args()
    process, url = _start(options.workers)
    rows: list[tuple[Any, ...]] = []
    try:
        for trace in (True, False):
            request = {
                "rubric": REF,
                "unit": UNIT["unit"],
                "inputs": UNIT["inputs"],
                "trace": trace,
            }
            body = json.dumps(request, ensure_ascii=False, default=str).encode()
            alone = _library(trace)
            for clients in (1, 4, 16):
                rate, latencies = asyncio.run(_load(url, body, options.requests, clients))
                cuts = statistics.quantiles(latencies, n=100)
                rows.append((trace, clients, rate, cuts[49] * 1000, cuts[98] * 1000, alone * 1000))
    finally:
        process.terminate()
        process.wait(timeout=15)
    print(
        f"{options.requests} requests per row, {options.workers} worker(s), {os.cpu_count()} cores"
    )
    print("| trace | clients | requests/s | p50 ms | p99 ms | library ms | HTTP share of p50 |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for trace, clients, rate, p50, p99, alone in rows:
        share = (p50 - alone) / p50 if clients == 1 else None
        shown = f"{share:.0%}" if share is not None else ""
        print(
            f"| {'yes' if trace else 'no'} | {clients} | {rate:,.0f} | {p50:.1f} | {p99:.1f} "
            f"| {alone:.2f} | {shown} |"
        )


if __name__ == "__main__":
    main()
