"""python manage.py backup FILE: all application data in one portable file (see history.backup)."""

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS

from history.backup import write_backup


class Command(BaseCommand):
    help = (
        "Write every user, membership, record and history row to FILE (JSON lines; gzip when "
        "FILE ends in .gz), from one consistent snapshot. Restore it with `restore`, into SQLite "
        "or PostgreSQL."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="where to write the backup (e.g. backup.jsonl.gz)")
        parser.add_argument(
            "--database", default=DEFAULT_DB_ALIAS, help="the database alias to back up"
        )

    def handle(self, *args, **options):
        try:
            counts = write_backup(options["file"], using=options["database"])
        except OSError as error:
            raise CommandError(f"Cannot write {options['file']}: {error.strerror}.") from error
        self.stdout.write(
            f"Backed up {sum(counts.values())} rows of {len(counts)} tables to {options['file']}."
        )
