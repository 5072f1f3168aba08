from django.core.management.base import BaseCommand

from reminders.services import digests_send


class Command(BaseCommand):
    help = (
        "Send each user the digest of the last week or month that ended in their city's time "
        "zone, once, and retry failed mail. Safe to run often and from several machines."
    )

    def handle(self, *args, **options) -> None:
        outcomes = digests_send()
        summary = ", ".join(f"{count} {name}" for name, count in sorted(outcomes.items()))
        self.stdout.write(summary or "Nobody to write to.")
