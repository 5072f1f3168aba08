"""manage.py board_pack CITY --out FILE.pdf: a city's board pack (or, with CITY `portfolio`, the
portfolio's) as a PDF, laid out by WeasyPrint from the same page the browser prints
(/cities/<slug>/board-pack/, /reports/board-pack/). Run by an operator: it reads every city."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from reports import board_pack


class Command(BaseCommand):
    help = "Write a city's board pack (or the portfolio's, CITY=portfolio) as a PDF."

    def add_arguments(self, parser):
        parser.add_argument(
            "city", help=f"the city's slug, as in /cities/<slug>/, or {board_pack.PORTFOLIO!r}"
        )
        parser.add_argument("--out", required=True, type=Path, help="the PDF file to write")
        parser.add_argument(
            "--paper",
            choices=board_pack.PAPERS,
            default="A4",
            help="paper size, portrait (default A4)",
        )

    def handle(self, *args, city, out, paper, **options):
        if not out.parent.is_dir():
            raise CommandError(f"No directory {out.parent} to write {out.name} into.")
        today = timezone.localdate()
        if city == board_pack.PORTFOLIO:
            context = board_pack.portfolio_pack(None, board_pack.cities_for_command(), today)
            template = board_pack.TEMPLATE_PORTFOLIO
        else:
            found = board_pack.city_for_command(city)
            if found is None:
                raise CommandError(
                    f"No city with the slug {city!r}. Give a slug as in /cities/<slug>/ "
                    f"(see /cities/), or {board_pack.PORTFOLIO!r} for the portfolio."
                )
            context = board_pack.city_pack(None, found, today)
            template = board_pack.TEMPLATE_CITY
        try:
            pdf = board_pack.render_pdf(template, context, paper)
        except ImportError as error:
            raise CommandError(
                "WeasyPrint is not installed (pip install -e .); see the README's board pack "
                "section for the browser route."
            ) from error
        out.write_bytes(pdf)
        self.stdout.write(f"Wrote {out} ({len(pdf) // 1024} KB).")
