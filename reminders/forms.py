from django import forms

from reminders.models import Preferences


class PreferencesForm(forms.ModelForm):
    class Meta:
        model = Preferences
        fields = ("frequency", "alerts", "iso_dates")
        widgets = {"frequency": forms.RadioSelect(attrs={"class": "form-check-input"})}
