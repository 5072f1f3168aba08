"""Input shapes of the history pages."""

from django import forms

from core.form_helpers import date_input
from core.validators import validate_plausible_date


def _day_field(label: str) -> forms.DateField:
    # The one plausible-date range of every form (core.validators) also keeps the filter's
    # "day after" and time-zone shifts inside the calendar Python knows.
    return forms.DateField(
        label=label, required=False, widget=date_input(), validators=[validate_plausible_date]
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
