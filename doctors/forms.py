"""Forms of the doctor's schedule editors. They only turn what was typed into Python values;
every rule (order, overlaps, slot length, the past, how far ahead) is the services'."""

from django import forms

from doctors.models import TimeOff, Weekday

TIME_FORMAT = "%H:%M"
DATE_FORMAT = "%Y-%m-%d"
DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


class AvailabilityWindowForm(forms.Form):
    """A weekly window, on the doctor's own clock."""

    weekday = forms.TypedChoiceField(label="Weekday", choices=Weekday.choices, coerce=int)
    start_time = forms.TimeField(
        label="Starts at",
        widget=forms.TimeInput(attrs={"type": "time"}, format=TIME_FORMAT),
        help_text="HH:MM on your clock.",
    )
    end_time = forms.TimeField(
        label="Ends at",
        widget=forms.TimeInput(attrs={"type": "time"}, format=TIME_FORMAT),
        help_text="HH:MM on your clock.",
    )
    slot_minutes = forms.IntegerField(
        label="Slot length (minutes)", initial=30, widget=forms.NumberInput(attrs={"step": 5})
    )
    valid_from = forms.DateField(
        label="Valid from",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format=DATE_FORMAT),
        help_text="Optional: the first date this window applies.",
    )
    valid_to = forms.DateField(
        label="Valid to",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format=DATE_FORMAT),
        help_text="Optional: the last date this window applies.",
    )

    @classmethod
    def initial_from(cls, window) -> dict:
        return {name: getattr(window, name) for name in cls.base_fields}


class TimeOffForm(forms.Form):
    """Time off, typed on the doctor's clock (the view activates the doctor's zone)."""

    start = forms.DateTimeField(
        label="From",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_FORMAT),
    )
    end = forms.DateTimeField(
        label="Until",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_FORMAT),
    )
    reason = forms.CharField(
        label="Reason",
        required=False,
        strip=False,  # the service trims it
        widget=forms.TextInput(attrs={"maxlength": TimeOff._meta.get_field("reason").max_length}),
        help_text="Optional, e.g. holiday or a conference.",
    )
