"""The write path of the benchmark: marking a milestone done through its form (history row and
version check included), by two editors at once, each signed in through the login form.

Each user loads the form (not timed: it only yields the CSRF and version tokens), then POSTs it;
the POST and its redirect answer are timed. Standalone:
    BENCH_PASSWORD=... python bench/write_load.py --base http://127.0.0.1:8200 --milestones 1,2,3
"""

from __future__ import annotations

import argparse
import datetime
import math
import os
import statistics
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import httpkit  # noqa: E402


def _percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def _user_load(base, jar, milestones, latencies, failures, start):
    start.wait()
    for pk in milestones:
        path = f"/milestones/{pk}/done/"
        status, answer, page = httpkit.request(base, "GET", path, cookie=httpkit.cookie_header(jar))
        jar.update(answer)
        if status != 200:
            failures.append(f"GET {path}: {status}")
            continue
        fields = httpkit.form_fields(page, "version")
        fields["completed_on"] = datetime.date.today().isoformat()
        fields["evidence_url"] = f"https://evidence.example.org/bench/{pk}"
        began = time.perf_counter()
        status, answer, _ = httpkit.request(
            base, "POST", path, cookie=httpkit.cookie_header(jar), form=fields
        )
        latencies.append((time.perf_counter() - began) * 1000)
        jar.update(answer)
        if status != 302:
            failures.append(f"POST {path}: {status}")


def run(*, base: str, usernames: list[str], password: str, milestones: list[int], requests: int):
    """Mark `requests` milestones done, split between the users running at the same time."""
    users = len(usernames)
    chosen = milestones[:requests]
    if len(chosen) < requests:
        raise RuntimeError(f"Only {len(chosen)} open milestones to mark done, {requests} wanted.")
    jars = [httpkit.sign_in(base, username, password) for username in usernames]
    latencies: list[float] = []
    failures: list[str] = []
    start = threading.Barrier(users)
    threads = [
        threading.Thread(
            target=_user_load,
            args=(base, jars[i], chosen[i::users], latencies, failures, start),
        )
        for i in range(users)
    ]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - began
    if not latencies:
        raise RuntimeError(f"No milestone was marked done: {failures[:3]}")
    result = {
        "users": users,
        "requests": len(latencies),
        "p50_ms": statistics.median(latencies),
        "p95_ms": _percentile(latencies, 0.95),
        "p99_ms": _percentile(latencies, 0.99),
        "max_ms": max(latencies),
        "rps": len(latencies) / elapsed,
        "errors": len(failures),
        "failures": failures[:10],
    }
    print(
        f"mark done: {users} users, {result['requests']} POSTs, p50 {result['p50_ms']:.1f} ms, "
        f"p95 {result['p95_ms']:.1f} ms, errors {result['errors']}",
        flush=True,
    )
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--base", default="http://127.0.0.1:8200")
    parser.add_argument("--users", default="bench-editor-1,bench-editor-2")
    parser.add_argument("--milestones", required=True, help="comma-separated open milestone ids")
    args = parser.parse_args()
    ids = [int(x) for x in args.milestones.split(",") if x]
    run(
        base=args.base,
        usernames=args.users.split(","),
        password=os.environ["BENCH_PASSWORD"],
        milestones=ids,
        requests=len(ids),
    )


if __name__ == "__main__":
    main()
