"""The shared body of `import_districts` and `import_schools`."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from core.audit import add_actor_argument, command_actor
from core.uploads import read_regular_file
from schools.choices import USPS_STATES
from schools.importers import (
    FileRefused,
    Filters,
    TooManyRows,
    apply_plan,
    error_report,
    prepare,
    summary,
)

# A whole national CCD school directory (~100,000 schools) fits; a state's file is ~10,000 rows.
COMMAND_MAX_ROWS = 200_000
COMMAND_MAX_MB = 256


def parse_city(value: str) -> tuple[str, str]:
    """ "Austin,TX" -> ("Austin", "TX")."""
    name, _, state = value.rpartition(",")
    name, state = name.strip(), state.strip().upper()
    if not name or state not in USPS_STATES:
        raise CommandError(f'--city takes "City,ST", such as "Austin,TX" (got {value!r}).')
    return name, state


class ImportCommand(BaseCommand):
    kind = ""  # SCHOOLS or DISTRICTS

    def add_arguments(self, parser):
        parser.add_argument("file", help="CSV (or tab-separated .txt) file in an NCES layout")
        parser.add_argument("--state", help="only rows located in this state (USPS code, e.g. TX)")
        parser.add_argument(
            "--city",
            action="append",
            default=[],
            help='only rows located in this city, as "City,ST" (repeatable)',
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="check the file and report what would change, writing nothing",
        )
        parser.add_argument(
            "--max-rows",
            type=int,
            default=COMMAND_MAX_ROWS,
            help=f"refuse a file of more rows than this (default {COMMAND_MAX_ROWS:,})",
        )
        parser.add_argument(
            "--max-mb",
            type=int,
            default=COMMAND_MAX_MB,
            help=f"refuse a file larger than this many MB (default {COMMAND_MAX_MB})",
        )
        add_actor_argument(parser)

    def handle(self, *args, **options):
        state = (options.get("state") or "").strip().upper() or None
        if state and state not in USPS_STATES:
            raise CommandError(f"--state takes a USPS code such as TX (got {options['state']!r}).")
        filters = Filters(state=state, cities=tuple(parse_city(c) for c in options["city"]))
        # A mistyped --actor fails before the file is read; the default system user is only
        # looked up (and created on first use) when something is written.
        actor = command_actor(options) if options.get("actor") else None
        max_bytes = options["max_mb"] * 1024 * 1024
        try:
            data = read_regular_file(options["file"], max_bytes=max_bytes)
            network_map = None
            if options.get("network_map"):
                network_map = read_regular_file(options["network_map"], max_bytes=max_bytes)
            plan = prepare(
                data,
                self.kind,
                filters=filters,
                network_map=network_map,
                max_rows=options["max_rows"],
            )
        except TooManyRows as error:
            raise CommandError(f"{error} Raise the limit with --max-rows.") from error
        except FileRefused as error:
            raise CommandError(str(error)) from error
        if not plan.ok:
            self.stdout.write(error_report(plan))
            raise CommandError(f"{plan.bad_rows} invalid row(s); nothing was written.")
        if options["dry_run"]:
            self.stdout.write(summary(plan, dry_run=True))
            self.stdout.write("Dry run: nothing was written.")
            return
        apply_plan(
            plan,
            actor=actor or command_actor(options),
            reason=f"{self.kind} import from {Path(options['file']).name}",
        )
        self.stdout.write(summary(plan))
