from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from accounts.scope import editable_cities
from compacts.models import Compact
from compacts.spreadsheet_writer import WorkbookStale
from compacts.spreadsheets import WorkbookError, apply_workbook, plan_workbook
from compacts.workbook_guard import limit
from core.uploads import FileRefused, read_regular_file


class Command(BaseCommand):
    help = (
        "Import an edited commitments workbook (from export_commitments or a compact's "
        "spreadsheet page): rows matched by ID are updated, rows without an ID created. "
        "All or nothing; only the compacts of the cities the actor edits."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="XLSX workbook")
        parser.add_argument(
            "--actor", required=True, help="username recorded in the history; sets the scope"
        )
        parser.add_argument("--compact", type=int, help="only accept rows of this compact")
        parser.add_argument(
            "--dry-run", action="store_true", help="check and report, writing nothing"
        )

    def handle(self, *args, **options):
        actor = get_user_model().objects.filter(username=options["actor"], is_active=True).first()
        if actor is None:
            raise CommandError(f"No active user {options['actor']!r}.")
        compacts = Compact.objects.filter(city__in=editable_cities(actor))
        if options["compact"]:
            compacts = compacts.filter(pk=options["compact"])
            if not compacts.exists():
                raise CommandError(f"{actor} does not edit compact {options['compact']}.")
        try:
            data = read_regular_file(
                options["file"], max_bytes=limit("SPREADSHEET_MAX_UPLOAD_BYTES")
            )
        except FileRefused as error:
            raise CommandError(str(error)) from error
        try:
            plan = plan_workbook(data, compacts=compacts)
        except WorkbookError as error:
            raise CommandError(str(error)) from error
        if not plan.ok:
            self.stdout.write(plan.error_report())
            raise CommandError(f"{plan.bad_rows} invalid row(s); nothing was written.")
        if options["dry_run"]:
            self.stdout.write(plan.summary(dry_run=True))
            self.stdout.write("Dry run: nothing was written.")
            return
        try:
            apply_workbook(plan, actor=actor)
        except WorkbookStale as error:
            self.stdout.write("\n".join(f"  {row_error}" for row_error in error.errors))
            raise CommandError("Nothing was written.") from error
        self.stdout.write(plan.summary())
