"""Forms of the appointment pages. They only turn what was typed or chosen into Python values
(dates, aware datetimes, choices); every booking rule is the services' to decide."""

from datetime import date, datetime

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils import timezone
from django.utils.dateparse import parse_datetime

REASON_MAX = 500  # as the model and the API take it
START_HELP = "A date and time with its UTC offset, e.g. 2026-06-02T09:00:00+02:00."


class AwareDateTimeField(forms.Field):
    """An ISO 8601 date and time that carries its offset, as the slot links give it. A naive
    time is ambiguous in a clinic that spans time zones: it is refused, not guessed."""

    default_error_messages = {
        "invalid": f"This is not a date and time we can read. {START_HELP}",
        "naive": f"The time has no UTC offset. {START_HELP}",
    }

    max_length = 64

    def to_python(self, value) -> datetime | None:
        if isinstance(value, datetime):
            return value
        text = str(value or "").strip()
        if not text:
            return None
        if len(text) > self.max_length or "\x00" in text:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        # A "+" in a query string that was not percent-encoded arrives as a space.
        if " " in text and "T" in text:
            text = text.replace(" ", "+")
        try:
            parsed = parse_datetime(text)
        except ValueError:  # well-formed but impossible, e.g. 31 February
            parsed = None
        if parsed is None:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        if timezone.is_naive(parsed):
            raise forms.ValidationError(self.error_messages["naive"], code="naive")
        return parsed


class BookingForm(forms.Form):
    start = AwareDateTimeField(
        widget=forms.HiddenInput,
        error_messages={"required": "Choose a time from the doctor's free slots."},
    )
    reason = forms.CharField(
        label="Reason for the visit",
        required=False,
        max_length=REASON_MAX,
        help_text="Optional. A few words help the doctor prepare.",
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class RescheduleForm(forms.Form):
    start = AwareDateTimeField(
        widget=forms.HiddenInput,
        error_messages={"required": "Choose one of the free times below."},
    )


class CancelForm(forms.Form):
    # Whether a reason is needed is the service's rule; here it is only text of bounded length.
    reason = forms.CharField(label="Reason", required=False, max_length=REASON_MAX)


# A calendar page shows days around the one asked for: the dates a calendar can hold (Python's
# run from year 1 to 9999) are narrowed to those a clinic's calendar could mean.
FIRST_CALENDAR_DAY, LAST_CALENDAR_DAY = date(1900, 1, 1), date(2999, 12, 31)


def _calendar_day(label: str) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=False,
        input_formats=["%Y-%m-%d"],
        widget=forms.DateInput(
            attrs={"type": "date", "min": FIRST_CALENDAR_DAY, "max": LAST_CALENDAR_DAY}
        ),
        validators=[
            MinValueValidator(FIRST_CALENDAR_DAY, "Choose a date from the year 1900 on."),
            MaxValueValidator(LAST_CALENDAR_DAY, "Choose a date before the year 3000."),
        ],
        error_messages={"invalid": "Give the date as YYYY-MM-DD."},
    )


class WeekForm(forms.Form):
    week = _calendar_day("Week from")


class DayForm(forms.Form):
    day = _calendar_day("Day")


class BookStartForm(forms.Form):
    """Choose a specialty (earliest free times across its doctors) or a doctor."""

    specialty = forms.ChoiceField(
        label="Specialty",
        required=False,
        error_messages={"invalid_choice": "No such specialty: choose one from the list."},
    )
    doctor = forms.ChoiceField(
        label="Doctor",
        required=False,
        error_messages={"invalid_choice": "No such doctor: choose one from the list."},
    )

    def __init__(self, *args, specializations=(), doctors=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["specialty"].choices = [("", "Choose a specialty")] + [
            (item.slug, item.name) for item in specializations
        ]
        self.fields["doctor"].choices = [("", "Choose a doctor")] + [
            (str(item.pk), item.user.full_name) for item in doctors
        ]


WEEKDAY_CHOICES = [
    (0, "Monday"),
    (1, "Tuesday"),
    (2, "Wednesday"),
    (3, "Thursday"),
    (4, "Friday"),
    (5, "Saturday"),
    (6, "Sunday"),
]


class WaitlistJoinForm(forms.Form):
    """Who to wait for and when suits; the waitlist service decides whether it is allowed."""

    doctor = forms.ModelChoiceField(queryset=None, required=False, empty_label="Any doctor")
    specialization = forms.ModelChoiceField(
        queryset=None,
        required=False,
        to_field_name="slug",
        empty_label="—",
        label="Or any doctor of",
    )
    earliest_date = forms.DateField(label="From", widget=forms.DateInput(attrs={"type": "date"}))
    latest_date = forms.DateField(label="Until", widget=forms.DateInput(attrs={"type": "date"}))
    weekdays = forms.TypedMultipleChoiceField(
        choices=WEEKDAY_CHOICES,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Leave all unticked for any day.",
    )
    earliest_time = forms.TimeField(
        required=False, label="Not before", widget=forms.TimeInput(attrs={"type": "time"})
    )
    latest_time = forms.TimeField(
        required=False, label="Finished by", widget=forms.TimeInput(attrs={"type": "time"})
    )
    note = forms.CharField(max_length=REASON_MAX, required=False, label="Reason for the visit")

    def __init__(self, *args, doctors, specializations, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["doctor"].queryset = doctors
        self.fields["specialization"].queryset = specializations
