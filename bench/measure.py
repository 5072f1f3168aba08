"""The measuring process of `make bench` (bench/run.sh starts it once gunicorn is up).

It picks the benchmarked records from the bench database, counts each page's queries through
Django's test Client, signs in through the real login form, checks every page answers 200, warms
up, then runs wrk from this second process: three interleaved rounds, each measuring every page at
its maximum rate and then at about half of it. It adds the write-path and import timings, writes
bench/results/latest.json and latest.md, and prints the table.

Two gunicorn servers share the database: "warm" (dashboard cache on, port 8200) and "off"
(DASHBOARD_CACHE_SECONDS=0 and a cache of its own, port 8201), so cached and uncached figures come
from the same run. Every ratio divides by /healthz measured on the same server in the same round.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(1, str(ROOT / "bench"))

import httpkit  # noqa: E402
import write_load  # noqa: E402

LUA = ROOT / "bench" / "wrk_report.lua"

MIN_RATIO_UNCACHED = 0.10
MIN_RATIO_WARM = 0.5
MAX_P95_MS_AT_HALF_RATE = 50.0
WORKERS = 2


def open_milestones(exclude_city_id: int, limit: int = 2000) -> list[int]:
    """Open milestones of live compacts outside the median city, for the write benchmark (so
    that marking them done leaves the measured city's figures alone)."""
    from compacts.choices import LIVE_COMPACT_STATUSES, OPEN_MILESTONE_STATUSES
    from compacts.models import Milestone

    return list(
        Milestone.objects.filter(
            status__in=OPEN_MILESTONE_STATUSES,
            commitment__compact__status__in=LIVE_COMPACT_STATUSES,
        )
        .exclude(commitment__compact__city_id=exclude_city_id)
        .order_by("id")
        .values_list("id", flat=True)[:limit]
    )


# --- the bench admin's second step ---------------------------------------------------------


def _admin_app():
    """The bench admin's authenticator app (added once): superusers need the two-step sign-in."""
    from django.contrib.auth import get_user_model
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from bench.generate import BENCH_ADMIN

    user = get_user_model().objects.get(username=BENCH_ADMIN)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return device or TOTPDevice.objects.create(user=user, name="bench", confirmed=True)


def admin_code() -> str:
    """The code the bench admin's app shows now."""
    from django_otp.oath import TOTP

    device = _admin_app()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    return f"{totp.token():0{device.digits}d}"


def _pass_second_step(client, user) -> None:
    from django_otp import DEVICE_ID_SESSION_KEY

    from accounts.two_factor import STEP_DUE_SESSION_KEY

    session = client.session
    session[DEVICE_ID_SESSION_KEY] = _admin_app().persistent_id
    session.pop(STEP_DUE_SESSION_KEY, None)
    session.save()


# --- queries per request -------------------------------------------------------------------


def count_queries(pages) -> dict:
    """Each page requested through the test Client in this process as each server serves it
    steadily: "uncached" as the off server (DASHBOARD_CACHE_SECONDS=0: no figure, report page or
    compact page read from the cache), "warm" with the cache on and filled. The whole cache is
    cleared before each page, so nothing stored by an earlier request (a fragment whose version
    nobody moved) passes for a page rendered afresh; a first request then loads what every server
    keeps in its cache whatever the setting (the session, the reader's roles, the demo banner),
    and the next one is counted. Sessions and the user lookup are counted, as in service."""
    from django.contrib.auth import get_user_model
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings

    from bench.generate import BENCH_ADMIN, BENCH_VIEWER

    User = get_user_model()
    clients = {None: Client(SERVER_NAME="127.0.0.1")}
    for role, username in (("viewer", BENCH_VIEWER), ("admin", BENCH_ADMIN)):
        clients[role] = Client(SERVER_NAME="127.0.0.1")
        user = User.objects.get(username=username)
        clients[role].force_login(user)
        if user.is_superuser:
            _pass_second_step(clients[role], user)

    def counted(client, path: str) -> int:
        client.get(path)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path)
        if response.status_code != 200:
            raise SystemExit(f"{path} answered {response.status_code} to the test Client.")
        return len(queries)

    counts = {}
    for page in pages:
        client = clients[page.user]
        cache.clear()
        with override_settings(DASHBOARD_CACHE_SECONDS=0):
            uncached = counted(client, page.path)
        counts[page.key] = {"uncached": uncached, "warm": counted(client, page.path)}
    cache.clear()
    return counts


# --- wrk -------------------------------------------------------------------------------------


def wrk(url: str, *, seconds: float, connections: int, cookie: str | None, delay_ms: int = 0):
    env = dict(os.environ, BENCH_COOKIE=cookie or "", BENCH_DELAY_MS=str(delay_ms))
    command = [
        "wrk",
        "-t1",
        f"-c{connections}",
        f"-d{seconds:g}s",
        "--timeout",
        "10s",
        "-s",
        str(LUA),
        url,
    ]
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=True)
    line = next((x for x in done.stdout.splitlines() if x.startswith("WRKJSON ")), None)
    if line is None:
        raise SystemExit(f"wrk printed no summary for {url}:\n{done.stdout}\n{done.stderr}")
    raw = json.loads(line.removeprefix("WRKJSON "))
    seconds_run = raw["duration_us"] / 1e6
    socket_errors = sum(raw[k] for k in ("connect_errors", "read_errors", "write_errors"))
    # No request completed in the window: there is no latency to report (wrk would say 0).
    done_any = raw["requests"] > 0
    return {
        "requests": raw["requests"],
        "rps": raw["requests"] / seconds_run if seconds_run else 0.0,
        "p50_ms": raw["p50_us"] / 1000 if done_any else None,
        "p95_ms": raw["p95_us"] / 1000 if done_any else None,
        "p99_ms": raw["p99_us"] / 1000 if done_any else None,
        "max_ms": raw["max_us"] / 1000 if done_any else None,
        "non2xx": raw["non2xx"],
        "socket_errors": socket_errors,
        "timeouts": raw["timeout_errors"],
        "errors": raw["non2xx"] + socket_errors + raw["timeout_errors"],
        "connections": connections,
        "delay_ms": delay_ms,
    }


# --- the run ---------------------------------------------------------------------------------


def machine() -> dict:
    meminfo = Path("/proc/meminfo").read_text()
    cpuinfo = Path("/proc/cpuinfo").read_text()
    model = re.search(r"model name\s*:\s*(.+)", cpuinfo)
    total_kb = int(re.search(r"MemTotal:\s+(\d+)", meminfo).group(1))

    def version(command):
        try:
            return subprocess.run(command, capture_output=True, text=True).stdout.strip()
        except OSError:
            return ""

    import django
    import gunicorn
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        postgres = cursor.fetchone()[0]
    return {
        "cpus": os.cpu_count(),
        "cpu_model": model.group(1) if model else platform.processor(),
        "memory_gb": round(total_kb / 1024 / 1024),
        "os": platform.platform(),
        "python": platform.python_version(),
        "django": django.get_version(),
        "gunicorn": gunicorn.__version__,
        "postgresql": postgres,
        "wrk": version(["sh", "-c", "wrk -v 2>&1 | head -1"]).split(" [")[0],
        "commit": version(["git", "-C", str(ROOT), "describe", "--always", "--dirty"]),
    }


def measure(args, pages, cookies, cached_keys: set[str]) -> list[dict]:
    servers = {"warm": args.warm, "off": args.off}
    plan = [("warm", page) for page in pages] + [("off", p) for p in pages if p.key in cached_keys]
    for server, page in plan:
        status, _, _ = httpkit.request(
            servers[server], "GET", page.path, cookie=cookies.get(page.user, "")
        )
        if status != 200:
            raise SystemExit(f"{page.path} on the {server} server answered {status}.")
    print(f"warming up {len(plan)} page/server pairs ...", flush=True)
    for server, page in plan:
        wrk(
            servers[server] + page.path,
            seconds=args.warmup,
            connections=2,
            cookie=cookies.get(page.user),
        )
    # /healthz runs first and again last among each server's pages: the denominator of a round
    # is the mean of the two, which evens out drift in the machine's other load.
    healthz = next(page for page in pages if page.kind == "denominator")
    bracketed = []
    for name in servers:
        bracketed += [(server, page) for server, page in plan if server == name]
        bracketed.append((name, healthz))
    runs = []
    for round_no in range(1, args.rounds + 1):
        maxima = {}
        for server, page in bracketed:
            result = wrk(
                servers[server] + page.path,
                seconds=args.duration,
                connections=args.connections,
                cookie=cookies.get(page.user),
            )
            maxima.setdefault((server, page.key), []).append(result["rps"])
            runs.append(
                {"round": round_no, "server": server, "page": page.key, "mode": "max", **result}
            )
            print(
                f"round {round_no} {server:<4} {page.label:<34} {result['rps']:8.1f} req/s "
                f"p95 {_fmt(result['p95_ms'])} ms errors {result['errors']}",
                flush=True,
            )
        for server, page in plan:
            # Two connections, each pausing between requests so that the offered rate is about
            # half of this round's maximum: per connection one request every 2 x 2 / max seconds,
            # of which about 2 / max is service time (two workers busy at max rate).
            top = statistics.mean(maxima[(server, page.key)])
            delay = max(1, round(1000 * WORKERS / top)) if top > 0 else 1000
            result = wrk(
                servers[server] + page.path,
                seconds=args.half_duration,
                connections=2,
                cookie=cookies.get(page.user),
                delay_ms=delay,
            )
            result["target_rps"] = top / 2
            runs.append(
                {"round": round_no, "server": server, "page": page.key, "mode": "half", **result}
            )
            print(
                f"round {round_no} {server:<4} {page.label:<34} at ~1/2 rate "
                f"{result['rps']:8.1f} req/s p95 {_fmt(result['p95_ms'])} ms",
                flush=True,
            )
    return runs


def _median(values) -> float | None:
    """The median of the values that exist (a run that completed no request has none)."""
    present = [v for v in values if v is not None]
    return statistics.median(present) if present else None


def summarize(pages, runs, queries, cached_keys: set[str]) -> list[dict]:
    rows = []
    for server in ("warm", "off"):
        for page in pages:
            mine = [r for r in runs if r["server"] == server and r["page"] == page.key]
            if not mine:
                continue
            top = [r for r in mine if r["mode"] == "max"]
            half = [r for r in mine if r["mode"] == "half"]
            health_runs: dict[int, list[float]] = {}
            for r in runs:
                if r["server"] == server and r["page"] == "healthz" and r["mode"] == "max":
                    health_runs.setdefault(r["round"], []).append(r["rps"])
            health = {round_no: statistics.mean(v) for round_no, v in health_runs.items()}
            ratios = [r["rps"] / health[r["round"]] for r in top if health.get(r["round"])]
            if page.kind == "denominator":
                top = [{**r, "rps": health[r["round"]]} for r in top if r["round"] in health]
                top = list({r["round"]: r for r in top}.values())
                ratios = [1.0] * len(top)
            q = queries.get(page.key, {})
            rows.append(
                {
                    "page": page.key,
                    "label": page.label,
                    "path": page.path,
                    "kind": page.kind,
                    "server": server,
                    "cache": (
                        f"({server} server)"
                        if page.kind == "denominator"
                        else server
                        if page.key in cached_keys
                        else "none"
                    ),
                    "min_requests": min(r["requests"] for r in top),
                    "rps": statistics.median(r["rps"] for r in top),
                    "rps_rounds": [round(r["rps"], 1) for r in top],
                    "ratio": _median(ratios),
                    "p50_ms": _median(r["p50_ms"] for r in top),
                    "p95_ms": _median(r["p95_ms"] for r in top),
                    "p99_ms": _median(r["p99_ms"] for r in top),
                    "half_rps": _median(r["rps"] for r in half),
                    "half_p95_ms": _median(r["p95_ms"] for r in half),
                    "queries": q.get("warm" if server == "warm" else "uncached"),
                    "queries_uncached": q.get("uncached"),
                    "errors": sum(r["errors"] for r in mine),
                    "requests": sum(r["requests"] for r in mine),
                }
            )
    return rows


def evaluate(pages, rows, write, imports) -> list[dict]:
    """Every target of issue 8 with its figure and whether it is met."""
    by = {(r["server"], r["page"]): r for r in rows}
    checks = []

    def check(name, value, limit, ok, unit=""):
        checks.append(
            {"target": name, "value": value, "limit": limit, "met": bool(ok), "unit": unit}
        )

    for page in pages:
        if page.kind == "denominator":
            continue
        uncached = by.get(("off", page.key)) or by[("warm", page.key)]
        check(
            f"{page.label}: ratio uncached >= {MIN_RATIO_UNCACHED}",
            uncached["ratio"],
            MIN_RATIO_UNCACHED,
            uncached["ratio"] is not None and uncached["ratio"] >= MIN_RATIO_UNCACHED,
        )
    for key in ("city", "reports"):
        warm = by[("warm", key)]
        check(
            f"{warm['label']}: ratio warm >= {MIN_RATIO_WARM}",
            warm["ratio"],
            MIN_RATIO_WARM,
            warm["ratio"] is not None and warm["ratio"] >= MIN_RATIO_WARM,
        )
    for row in rows:
        check(
            f"{row['label']} ({row['server']}): p95 at half rate < {MAX_P95_MS_AT_HALF_RATE:g} ms",
            row["half_p95_ms"],
            MAX_P95_MS_AT_HALF_RATE,
            row["half_p95_ms"] is not None and row["half_p95_ms"] < MAX_P95_MS_AT_HALF_RATE,
            "ms",
        )
    for row in rows:
        check(f"{row['label']} ({row['server']}): no errors", row["errors"], 0, row["errors"] == 0)
    for page in pages:
        limit = page.max_queries
        row = by[("warm", page.key)]
        if limit is not None:
            check(
                f"{page.label}: queries per request <= {limit} (uncached)",
                row["queries_uncached"],
                limit,
                row["queries_uncached"] is not None and row["queries_uncached"] <= limit,
            )
    if write:
        check(
            "mark milestone done: p95 < 50 ms at 2 concurrent users",
            write.get("p95_ms"),
            50,
            write.get("p95_ms") is not None and write["p95_ms"] < 50 and not write.get("errors"),
            "ms",
        )
    return checks


def _fmt(value, digits=1, suffix=""):
    if value is None:
        return "n/a"
    if isinstance(value, float):
        return f"{value:,.{digits}f}{suffix}"
    return f"{value}{suffix}"


def markdown(result: dict) -> str:
    m, s = result["machine"], result["settings"]
    lines = [
        "# Benchmark results",
        "",
        f"Run {result['finished_at']} at commit {m['commit']} on {m['cpus']} CPU cores "
        f"({m['cpu_model']}), {m['memory_gb']} GB RAM; PostgreSQL {m['postgresql']}, "
        f"Python {m['python']}, Django {m['django']}, gunicorn {m['gunicorn']} "
        f"({s['workers']} sync workers, CONN_MAX_AGE={s['conn_max_age']}, DEBUG off), cache "
        f"{s['cache']}; load from {m['wrk']} on the same machine.",
        f"Data: bench.generate --scale {result['scale']:g} "
        f"({result['generate_seconds']:.1f} s on PostgreSQL); median city "
        f"`{result['targets']['median_city']}` ({result['targets']['median_city_activities']:,} "
        f"activities in live compacts), compact {result['targets']['compact_id']}.",
        f"Load average (1 min) {result['load_average']['before'][0]:.1f} before and "
        f"{result['load_average']['after'][0]:.1f} after the measurement "
        f"({result['measure_seconds'] / 60:.0f} min). "
        f"{s['rounds']} interleaved rounds; each page at max rate ({s['connections']} connections, "
        f"{s['duration']:g} s) then at about half of it ({s['half_duration']:g} s). Figures are "
        "medians over the rounds; the ratio divides by /healthz on the same server in the same "
        "round (mean of a run before and a run after the server's pages). Cache `warm`: "
        "dashboard cache on and filled; `off`: a second server with DASHBOARD_CACHE_SECONDS=0; "
        "`none`: the page reads no cached figure (same queries twice).",
        "",
        "| page | cache | req/s | ratio to /healthz | p50 ms | p95 ms | p99 ms "
        "| p95 ms at ½ rate (req/s) | queries | errors |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for row in result["summary"]:
        lines.append(
            f"| {row['label']} | {row['cache']} | {_fmt(row['rps'])} | {_fmt(row['ratio'], 2)} "
            f"| {_fmt(row['p50_ms'])} | {_fmt(row['p95_ms'])} | {_fmt(row['p99_ms'])} "
            f"| {_fmt(row['half_p95_ms'])} ({_fmt(row['half_rps'])}) | {_fmt(row['queries'])} "
            f"| {row['errors']} |"
        )
    write = result.get("write") or {}
    if write:
        lines += [
            "",
            f"Write path, marking a milestone done (history + version check) through the form: "
            f"{write['users']} concurrent users, {write['requests']} POSTs, p50 "
            f"{_fmt(write['p50_ms'])} ms, p95 {_fmt(write['p95_ms'])} ms, p99 "
            f"{_fmt(write['p99_ms'])} ms, {write['rps']:.1f} req/s, errors {write['errors']}.",
        ]
    imports = result.get("import") or {}
    if imports:
        lines += [
            "",
            f"Import of {imports['source']} ({imports['school_rows']:,} school rows, "
            f"{imports['district_rows']:,} district rows), into an empty migrated database:",
            "",
            "| step | first import s | second, unchanged s |",
            "|---|---:|---:|",
        ]
        for step in ("districts", "schools"):
            lines.append(
                f"| {step} | {imports[step]['first_s']:.2f} | {imports[step]['second_s']:.2f} |"
            )
    lines += ["", "Targets:", ""]
    for check in result["checks"]:
        mark = "met" if check["met"] else "**MISSED**"
        lines.append(f"- {mark}: {check['target']} (measured {_fmt(check['value'], 2)})")
    lines += [
        "",
        'Method notes: wrk has no rate limit, so "at ½ rate" is closed-loop pacing: 2 '
        "connections, each waiting (wrk's Lua delay()) so that the offered rate is about half of "
        "the page's maximum in the same round; the achieved rate is shown in brackets. Unlike an "
        "open-loop generator (wrk2) it does not correct for coordinated omission. Queries per "
        "request are counted with Django's test Client against the same database, the cache "
        "cleared before each page (uncached: DASHBOARD_CACHE_SECONDS=0, for `off` and `none` "
        "rows; warm: the cache on and filled, for `warm` rows), sessions and user lookups "
        "included. The load generator, both servers and PostgreSQL share the machine's cores.",
        "",
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--warm", default="http://127.0.0.1:8200")
    parser.add_argument("--off", default="http://127.0.0.1:8201")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--duration", type=float, default=6)
    parser.add_argument("--half-duration", type=float, default=5)
    parser.add_argument("--warmup", type=float, default=2)
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--write-requests", type=int, default=100)
    parser.add_argument("--scale", type=float, default=1)
    parser.add_argument("--generate-seconds", type=float, default=0)
    parser.add_argument("--import-json", type=Path)
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results")
    args = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.conf import settings

    from bench.generate import BENCH_ADMIN, BENCH_EDITORS, BENCH_VIEWER, bench_pages, bench_targets

    started = time.monotonic()
    load_before = os.getloadavg()
    password = os.environ["BENCH_PASSWORD"]
    targets = bench_targets()
    pages = bench_pages(targets)
    print(f"median city {targets['median_city']}, compact {targets['compact_id']}", flush=True)
    queries = count_queries(pages)
    # Pages whose second request takes fewer queries read the dashboard cache: they are measured
    # on both servers; the others (and /healthz, the denominator of each server) on one.
    cached_keys = {"healthz"} | {k for k, q in queries.items() if q["warm"] < q["uncached"]}
    cookies = {
        role: "sessionid=" + httpkit.sign_in(args.warm, username, password, code=code)["sessionid"]
        for role, username, code in (
            ("viewer", BENCH_VIEWER, None),
            ("admin", BENCH_ADMIN, admin_code),
        )
    }
    runs = measure(args, pages, cookies, cached_keys)

    write = write_load.run(
        base=args.warm,
        usernames=list(BENCH_EDITORS),
        password=password,
        milestones=open_milestones(targets["median_city_id"]),
        requests=args.write_requests,
    )
    imports = json.loads(args.import_json.read_text()) if args.import_json else None
    summary = summarize(pages, runs, queries, cached_keys)
    result = {
        "finished_at": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": machine(),
        "settings": {
            "workers": WORKERS,
            "conn_max_age": settings.DATABASES["default"].get("CONN_MAX_AGE"),
            "cache": os.environ.get("BENCH_CACHE_LABEL", "local memory per worker"),
            "rounds": args.rounds,
            "duration": args.duration,
            "half_duration": args.half_duration,
            "connections": args.connections,
        },
        "scale": args.scale,
        "generate_seconds": args.generate_seconds,
        "targets": targets,
        "query_counts": queries,
        "summary": summary,
        "write": write,
        "import": imports,
        "runs": runs,
        "measure_seconds": round(time.monotonic() - started, 1),
        # Other work on the machine skews absolute figures (ratios less so): say how busy it was.
        "load_average": {"before": load_before, "after": os.getloadavg()},
    }
    result["checks"] = evaluate(pages, summary, write, imports)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "latest.json").write_text(json.dumps(result, indent=2, default=str))
    table = markdown(result)
    (args.out / "latest.md").write_text(table)
    print()
    print(table)
    missed = [c for c in result["checks"] if not c["met"]]
    print(f"{len(result['checks']) - len(missed)} targets met, {len(missed)} missed.")


if __name__ == "__main__":
    main()
