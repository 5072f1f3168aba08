"""Input shapes of the core pages."""

import datetime

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator

# The dates a change filter reads: every change was recorded within them, and the bounds keep
# the day after and the time-zone shifts the query makes inside the calendar Python knows.
EARLIEST_DAY = datetime.date(1900, 1, 1)
LATEST_DAY = datetime.date(2999, 12, 31)
DAY_RANGE = "Give a date from 1 Jan 1900 to 31 Dec 2999."


def _day_field(label: str) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        validators=[
            MinValueValidator(EARLIEST_DAY, message=DAY_RANGE),
            MaxValueValidator(LATEST_DAY, message=DAY_RANGE),
        ],
    )


class CityChangesFilterForm(forms.Form):
    """Filters of a city's recent changes: author, kind of record and an inclusive date range."""

    user = forms.TypedChoiceField(label="Changed by", required=False, coerce=int, empty_value=None)
    model = forms.ChoiceField(label="Record type", required=False)
    changed_after = _day_field("From")
    changed_before = _day_field("To")

    def __init__(self, *args, authors, trackeds, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].choices = [("", "Anyone")] + [
            (author.pk, author.get_full_name() or author.get_username()) for author in authors
        ]
        self.fields["model"].choices = [("", "All records")] + sorted(
            ((t.key, t.verbose_name_plural.capitalize()) for t in trackeds),
            key=lambda choice: choice[1],
        )

    def clean(self):
        cleaned = super().clean()
        after, before = cleaned.get("changed_after"), cleaned.get("changed_before")
        if after and before and after > before:
            self.add_error("changed_before", "The end date is before the start date.")
        return cleaned
