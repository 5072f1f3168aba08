"""manage.py snapshot_figures: store this month's figures; --backfill also works out the months
before from the records' dates. Run it daily (cron or a systemd timer, see the README): each run
replaces the current month's row, so every month keeps the figures of its last day."""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Min

from compacts.models import Compact
from reports import snapshots


def _month(text: str) -> datetime.date:
    try:
        return datetime.datetime.strptime(text, "%Y-%m").date()
    except ValueError as error:
        raise CommandError(f"Give the month as YYYY-MM, not {text!r}.") from error


class Command(BaseCommand):
    help = "Store every city's and live compact's figures of today under this month."

    def add_arguments(self, parser):
        parser.add_argument(
            "--backfill",
            action="store_true",
            help="Also work out each earlier month (as of its last day) from the records' dates.",
        )
        parser.add_argument(
            "--since",
            type=_month,
            help="First month to backfill, YYYY-MM (default: the month of the first signing).",
        )

    def handle(self, *args, backfill, since, **options):
        if backfill:
            first = since or Compact.objects.aggregate(first=Min("signed_on"))["first"]
            if first is None:
                self.stdout.write("No compact recorded: nothing to backfill.")
            else:
                months = snapshots.backfill(first)
                self.stdout.write(f"Backfilled {months} months from {first:%Y-%m}.")
        cities = snapshots.take()
        self.stdout.write(f"Stored this month's figures of {cities} cities.")
