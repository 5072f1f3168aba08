"""The shared body of `import_districts` and `import_schools`."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from core.history import add_actor_argument, command_actor
from schools.choices import USPS_STATES
from schools.importers import (
    Filters,
    LayoutError,
    apply_plan,
    error_report,
    prepare,
    summary,
)


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
        add_actor_argument(parser)

    def handle(self, *args, **options):
        state = (options.get("state") or "").strip().upper() or None
        if state and state not in USPS_STATES:
            raise CommandError(f"--state takes a USPS code such as TX (got {options['state']!r}).")
        filters = Filters(state=state, cities=tuple(parse_city(c) for c in options["city"]))
        # A mistyped --actor fails before the file is read; the default system user is only
        # looked up (and created on first use) when something is written.
        actor = command_actor(options) if options.get("actor") else None
        data = self._read(options["file"])
        network_map = None
        if options.get("network_map"):
            network_map = self._read(options["network_map"])
        try:
            plan = prepare(data, self.kind, filters=filters, network_map=network_map)
        except LayoutError as error:
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

    @staticmethod
    def _read(path: str) -> bytes:
        try:
            return Path(path).read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error.strerror}.") from error
