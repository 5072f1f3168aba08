from django.core.management.base import BaseCommand

from compacts.demo import load_demo
from core.history import add_actor_argument, command_actor


class Command(BaseCommand):
    help = (
        "Load the demo dataset: 23 cities' compacts from public reporting (2010-2016) with "
        "generated, illustrative milestones and activities. Safe to run again."
    )

    def add_arguments(self, parser):
        add_actor_argument(parser)

    def handle(self, *args, **options):
        counts = load_demo(actor=command_actor(options))
        summary = ", ".join(f"{count} {name}" for name, count in counts.items())
        self.stdout.write(self.style.SUCCESS(f"Demo data loaded: {summary}."))
