"""Where a page's time goes: cProfile over repeated requests through Django's test Client, in
this process, against the bench database (`BENCH_KEEP=1 make bench` keeps it).

    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/compact_tracker_bench
    DEBUG=0 SECRET_KEY=x ALLOWED_HOSTS=127.0.0.1 \\
      .venv/bin/python -m bench.profile /cities/northville/ --cache off --requests 50

`--cache warm` fills the cache first and profiles the warm page; `--cache off` sets
DASHBOARD_CACHE_SECONDS=0 as the bench's second server does (figures read from the cities'
rollups, reports/rollups.py); `--cache cold` also leaves the rollups unread and unwritten, so every
figure is computed, as on a city's first read after a write. Prints the mean wall time per request
and the functions with the most cumulative and own time. The bench measures speed; this says why.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path")
    parser.add_argument("--cache", choices=("warm", "off", "cold"), default="warm")
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--user", choices=("viewer", "admin"), default="viewer")
    parser.add_argument("--top", type=int, default=25)
    args = parser.parse_args()

    if args.cache in ("off", "cold"):
        os.environ["DASHBOARD_CACHE_SECONDS"] = "0"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    if args.cache == "cold":
        _without_rollups()
    from django.contrib.auth import get_user_model
    from django.test import Client

    from bench.generate import BENCH_ADMIN, BENCH_VIEWER
    from bench.measure import _pass_second_step

    user = get_user_model().objects.get(
        username=BENCH_VIEWER if args.user == "viewer" else BENCH_ADMIN
    )
    client = Client(SERVER_NAME="127.0.0.1")
    client.force_login(user)
    if user.is_superuser:
        _pass_second_step(client, user)
    for _ in range(3):  # warm the connection, the caches that every server keeps, the templates
        response = client.get(args.path)
    if response.status_code != 200:
        raise SystemExit(f"{args.path} answered {response.status_code}")

    profiler = cProfile.Profile()
    started = time.perf_counter()
    profiler.enable()
    for _ in range(args.requests):
        client.get(args.path)
    profiler.disable()
    elapsed = (time.perf_counter() - started) / args.requests

    print(f"{args.path} ({args.cache}): {elapsed * 1000:.1f} ms per request under the profiler")
    for order in ("cumulative", "tottime"):
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).strip_dirs().sort_stats(order).print_stats(args.top)
        print(out.getvalue())


def _without_rollups() -> None:
    """Every rollup found out of date, and nothing stored (the bench database stays as it is)."""
    from reports import rollups

    read = rollups._read

    def nothing_current(city_ids, kind, today):
        versions, _ = read(city_ids, kind, today)
        return versions, {}

    rollups._read = nothing_current
    rollups._store = lambda values, versions, today: None


if __name__ == "__main__":
    main()
