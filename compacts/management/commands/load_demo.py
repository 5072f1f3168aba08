from django.core.management.base import BaseCommand

from compacts.demo import load_demo
from compacts.models import Compact
from core.audit import add_actor_argument, command_actor


class Command(BaseCommand):
    help = (
        "Load the demo dataset: 23 cities' compacts from public reporting (2010-2016) with "
        "generated, illustrative milestones and activities. Safe to run again."
    )

    def add_arguments(self, parser):
        add_actor_argument(parser)
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Load only into a database without compacts, so that records people have "
            "edited since are left alone (what `make run` does).",
        )

    def handle(self, *args, **options):
        if options["if_empty"] and Compact.objects.exists():
            self.stdout.write(
                "The database already holds compacts: demo data not reloaded, your records are "
                "as you left them. (Delete var/compact_tracker.sqlite3 to start afresh.)"
            )
            return
        counts = load_demo(actor=command_actor(options))
        summary = ", ".join(f"{count} {name}" for name, count in counts.items())
        self.stdout.write(self.style.SUCCESS(f"Demo data loaded: {summary}."))
