"""python manage.py restore FILE [--replace]: load a backup, all or nothing (see history.backup)."""

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, DatabaseError

from history.backup import BackupError, restore_backup


class Command(BaseCommand):
    help = (
        "Load a file written by `backup` into this database (SQLite or PostgreSQL), in one "
        "transaction: either everything is restored or nothing changes. Refuses a database that "
        "holds data unless --replace is given. Run `migrate` on the database first."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="a file written by `manage.py backup`")
        parser.add_argument(
            "--replace",
            action="store_true",
            help="delete everything in the database first (in the same transaction)",
        )
        parser.add_argument(
            "--database", default=DEFAULT_DB_ALIAS, help="the database alias to restore into"
        )

    def handle(self, *args, **options):
        try:
            counts = restore_backup(
                options["file"], using=options["database"], replace=options["replace"]
            )
        except BackupError as error:
            raise CommandError(f"{error} Nothing was restored.") from error
        except DatabaseError as error:
            raise CommandError(
                f"The database refused the backup ({error}). Nothing was restored."
            ) from error
        self.stdout.write(
            f"Restored {sum(counts.values())} rows of {len(counts)} tables from {options['file']}."
        )
