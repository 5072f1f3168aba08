from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from accounts.scope import visible_cities
from compacts.models import Compact
from compacts.spreadsheets import export_workbook


class Command(BaseCommand):
    help = (
        "Write the commitments and milestones of compacts to an XLSX workbook (sheets "
        "Commitments and Milestones, matched by ID when imported back with import_commitments)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            "-o",
            help="file to write (default: commitments-YYYY-MM-DD.xlsx in the current folder)",
        )
        parser.add_argument(
            "--compact", type=int, action="append", default=[], help="compact ID (repeatable)"
        )
        parser.add_argument("--city", action="append", default=[], help="city slug (repeatable)")
        parser.add_argument("--actor", help="username: export only the cities this user may read")

    def handle(self, *args, **options):
        compacts = Compact.objects.all()
        if options["actor"]:
            user = get_user_model().objects.filter(username=options["actor"]).first()
            if user is None:
                raise CommandError(f"No user {options['actor']!r}.")
            compacts = compacts.filter(city__in=visible_cities(user))
        if options["compact"]:
            compacts = compacts.filter(pk__in=options["compact"])
        if options["city"]:
            compacts = compacts.filter(city__slug__in=options["city"])
        count = compacts.count()
        if not count:
            raise CommandError("No compact matches: nothing to export.")
        output = Path(options["output"] or f"commitments-{timezone.localdate().isoformat()}.xlsx")
        output.write_bytes(export_workbook(compacts))
        self.stdout.write(f"Wrote the commitments of {count} compact(s) to {output}.")
