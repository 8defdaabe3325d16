"""The account pages' forms. They only parse what was typed; every rule (free e-mail, strong
password, valid phone and zone, plausible date of birth...) is the services' to check."""

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import FieldDoesNotExist

from core.timezones import known_timezones
from users.models import User

PASSWORDS_DIFFER = "The two passwords differ."


class EmailAuthenticationForm(AuthenticationForm):
    username = forms.EmailField(
        label="E-mail",
        max_length=254,
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )


def _new_password_field(label: str) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=128,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )


def _check_same(form: forms.Form, first: str, second: str) -> None:
    data = form.cleaned_data
    if first in data and second in data and data[first] != data[second]:
        form.add_error(second, PASSWORDS_DIFFER)


class SetPasswordForm(forms.Form):
    new_password = _new_password_field("New password")
    new_password_again = _new_password_field("New password again")

    def clean(self):
        data = super().clean()
        _check_same(self, "new_password", "new_password_again")
        return data


def timezone_choices() -> list[tuple[str, str]]:
    clinic = settings.CLINIC_TIMEZONE
    return [("", f"The clinic's ({clinic})"), *((name, name) for name in sorted(known_timezones()))]


def patient_record_choices(field: str) -> list[tuple[str, str]]:
    """The choices of a field of the patient record, read through the account's reverse
    relation (the patients app, which owns that record, comes after this one)."""
    try:
        record = User._meta.get_field("patient_profile").related_model
        return list(record._meta.get_field(field).choices or [])
    except FieldDoesNotExist:
        return []


class RegisterForm(forms.Form):
    """Patient self-registration: the fields of the API's register endpoint, plus the password
    typed twice."""

    full_name = forms.CharField(
        label="Full name", max_length=150, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    email = forms.EmailField(
        label="E-mail", max_length=254, widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
    password = _new_password_field("Password")
    password_again = _new_password_field("Password again")
    phone = forms.CharField(
        label="Phone (optional)",
        max_length=20,
        required=False,
        help_text="In international form, e.g. +14155550123.",
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )
    timezone = forms.ChoiceField(
        label="Time zone",
        required=False,
        help_text="Times of visits are shown in this zone.",
    )
    date_of_birth = forms.DateField(
        label="Date of birth (optional)",
        required=False,
        widget=forms.DateInput(attrs={"type": "date", "autocomplete": "bday"}, format="%Y-%m-%d"),
    )
    sex = forms.ChoiceField(label="Sex (optional)", required=False)

    # The fields the registration service takes for the patient record, not the account.
    PROFILE_FIELDS = ("date_of_birth", "sex")

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["timezone"].choices = timezone_choices()
        sexes = patient_record_choices("sex")
        if sexes:
            self.fields["sex"].choices = [("", "Prefer not to say"), *sexes]
        else:
            del self.fields["sex"]

    def clean(self):
        data = super().clean()
        _check_same(self, "password", "password_again")
        return data

    def service_arguments(self) -> tuple[dict, dict]:
        """(account, profile): the registration service's keyword arguments and its profile."""
        data = dict(self.cleaned_data)
        data.pop("password_again", None)
        profile = {
            name: data.pop(name) for name in self.PROFILE_FIELDS if data.get(name) not in (None, "")
        }
        for name in self.PROFILE_FIELDS:
            data.pop(name, None)
        return data, profile


class PasswordChangeForm(forms.Form):
    old_password = forms.CharField(
        label="Current password",
        max_length=128,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password", "autofocus": True}),
    )
    new_password = _new_password_field("New password")
    new_password_again = _new_password_field("New password again")

    def clean(self):
        data = super().clean()
        _check_same(self, "new_password", "new_password_again")
        return data


class PasswordResetForm(forms.Form):
    email = forms.EmailField(
        label="E-mail",
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )


class CodeForm(forms.Form):
    """A code of the second sign-in step. What it must look like is the service's to check."""

    code = forms.CharField(
        label="Code",
        max_length=64,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "autocapitalize": "off",
                "spellcheck": "false",
                "autofocus": True,
            }
        ),
    )

    def __init__(
        self, *args, label: str = "Code", help_text: str = "", numeric: bool = False, **kwargs
    ) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["code"]
        field.label, field.help_text = label, help_text
        if numeric:  # a phone shows its number pad; recovery codes have letters
            field.widget.attrs["inputmode"] = "numeric"


class CurrentPasswordForm(forms.Form):
    """The password again, before a change to the second step."""

    password = forms.CharField(
        label="Your password",
        max_length=128,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
