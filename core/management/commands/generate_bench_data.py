"""`manage.py generate_bench_data --scale N`: the benchmark's data set (see core/benchdata.py)."""

import datetime
import os
import time

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from core import benchdata


class Command(BaseCommand):
    help = (
        "Generate a deterministic data set at funder scale (scale 1: 100 cities, 8,000 charter "
        "schools, 150 compacts, 200,000 activities, 350 users ...) into an empty database."
    )

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=float, default=1.0, help="Multiplier of every count.")
        parser.add_argument("--seed", type=int, default=benchdata.DEFAULT_SEED)
        parser.add_argument(
            "--anchor",
            type=datetime.date.fromisoformat,
            default=None,
            help="The day every generated date is relative to (YYYY-MM-DD; default: today).",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Empty the whole database first (manage.py flush), then generate.",
        )
        parser.add_argument(
            "--password-env",
            default="BENCH_PASSWORD",
            help=(
                "Name of the environment variable holding the password given to every generated "
                "user (default BENCH_PASSWORD); when it is unset nobody can sign in with one."
            ),
        )

    def handle(self, *args, scale, seed, anchor, force, password_env, **options):
        if scale <= 0:
            raise CommandError("--scale must be positive.")
        if not benchdata.database_is_empty():
            if not force:
                raise CommandError(
                    "The database already holds records; generate_bench_data only writes into an "
                    "empty database. Use --force to empty it first (every table is flushed)."
                )
            # Inside an open transaction PostgreSQL refuses to TRUNCATE tables with deferred
            # foreign-key checks pending; running the checks now clears them.
            connection.check_constraints()
            call_command("flush", interactive=False, verbosity=0)
        started = time.monotonic()
        result = benchdata.generate(
            scale=scale, seed=seed, anchor=anchor, password=os.environ.get(password_env) or None
        )
        generated = time.monotonic() - started
        if connection.vendor == "postgresql":
            # Fresh tables have no statistics; without them the planner guesses badly.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        elapsed = time.monotonic() - started
        for label, count in sorted(result.counts.items()):
            self.stdout.write(f"{label:<40} {count:>8,}")
        if options["verbosity"] > 1:
            for step, seconds in result.timings.items():
                self.stdout.write(f"  {step:<38} {seconds:>7.1f}s")
        self.stdout.write(f"anchor {result.anchor}  digest {result.digest}")
        self.stdout.write(
            self.style.SUCCESS(
                f"Generated scale {scale:g} in {generated:.1f}s ({elapsed:.1f}s with ANALYZE)."
            )
        )
