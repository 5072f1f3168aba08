"""Form plumbing shared by the staff forms: Bootstrap classes on every widget, is-invalid on the
fields that carry an error, native date inputs, and service errors mapped next to their field."""

from __future__ import annotations

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models

from core.validators import FIRST_PLAUSIBLE_DATE, LAST_PLAUSIBLE_DATE, validate_plausible_date

DATE_INPUT_FORMAT = "%Y-%m-%d"


def date_input() -> forms.DateInput:
    """The browser's date picker; the value travels as YYYY-MM-DD whatever the locale."""
    return forms.DateInput(attrs={"type": "date"}, format=DATE_INPUT_FORMAT)


class LongTextField(forms.CharField):
    """Free text in a textarea, counted as it is stored.

    Browsers send a textarea's line breaks as CRLF; they are kept as LF, so a limit counts a
    line break once, as the person typing sees it. No `maxlength` attribute: a browser cuts a
    paste at it without a word (phone review), where the field's error keeps the whole text
    and says how long it is."""

    def to_python(self, value):
        value = super().to_python(value)
        return value.replace("\r\n", "\n").replace("\r", "\n") if value else value

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        attrs.pop("maxlength", None)
        return attrs


def model_formfield(model_field: models.Field, **kwargs) -> forms.Field | None:
    """ModelForm `formfield_callback`: date pickers for dates, https assumed for typed URLs."""
    if isinstance(model_field, models.DateField) and not isinstance(
        model_field, models.DateTimeField
    ):
        kwargs.setdefault("widget", date_input())
    if isinstance(model_field, models.URLField):
        kwargs.setdefault("assume_scheme", "https")
    if isinstance(model_field, models.TextField):
        # A limit the model keeps by validator reaches the form, said under the field.
        limits = [
            v.limit_value for v in model_field.validators if isinstance(v, MaxLengthValidator)
        ]
        kwargs.setdefault("form_class", LongTextField)
        if limits:
            kwargs.setdefault("max_length", min(limits))
            if not model_field.help_text:
                kwargs.setdefault("help_text", f"Up to {min(limits):,} characters.")
    return model_field.formfield(**kwargs)


class BootstrapFormMixin:
    """Bootstrap 5 classes on every widget; `is-invalid` on fields with errors, however the error
    arrived (field validation, model validation, or a service error added by the view)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(field, forms.DateField):
                # Every form's dates, model-backed or not, refuse a mistyped year by the field.
                field.validators.append(validate_plausible_date)
                widget.attrs.setdefault("min", FIRST_PLAUSIBLE_DATE.isoformat())
                widget.attrs.setdefault("max", LAST_PLAUSIBLE_DATE.isoformat())
            if isinstance(widget, forms.HiddenInput):
                continue
            if isinstance(widget, forms.RadioSelect | forms.CheckboxInput):
                # Covers CheckboxSelectMultiple, a RadioSelect subclass.
                css = "form-check-input"
            elif isinstance(widget, forms.Select):
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()

    def add_error(self, field, error):
        super().add_error(field, error)
        for name in list(self.errors):
            widget = self.fields[name].widget if name in self.fields else None
            if widget is not None and "is-invalid" not in widget.attrs.get("class", ""):
                widget.attrs["class"] = f"{widget.attrs.get('class', '')} is-invalid".strip()


def add_service_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """Put a service's ValidationError on the form: next to the field it names when the form has
    that field, at the top of the form otherwise."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            target = name if name in form.fields and name != NON_FIELD_ERRORS else None
            form.add_error(target, errors)
    else:
        form.add_error(None, error.messages)
