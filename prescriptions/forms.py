"""Forms of the prescription pages. They read the input into Python values; the rules (required
fields, ranges, the route, the allergy check) are the prescriptions service's."""

from django import forms

from prescriptions.models import MedicationLine, Prescription, Route
from prescriptions.services import MAX_LINES


def _max(model, name: str) -> int | None:
    return model._meta.get_field(name).max_length


def _text(name: str, label: str, **extra) -> forms.CharField:
    return forms.CharField(
        label=label, required=False, max_length=_max(MedicationLine, name), **extra
    )


class MedicationLineForm(forms.Form):
    drug_name = _text("drug_name", "Drug", help_text="Generic or brand name")
    strength = _text("strength", "Strength", help_text="e.g. 500 mg")
    form = _text("form", "Form", help_text="e.g. tablet")
    dose = _text("dose", "Dose", help_text="e.g. 1 tablet")
    route = forms.CharField(
        label="Route",
        required=False,
        initial=Route.ORAL,
        widget=forms.Select(choices=[("", "—"), *Route.choices]),
    )
    frequency = _text("frequency", "Frequency", help_text="e.g. three times a day")
    duration_days = forms.IntegerField(label="Days", required=False)
    quantity = forms.IntegerField(label="Quantity", required=False)
    refills = forms.IntegerField(label="Refills", required=False)
    instructions = _text("instructions", "Instructions", widget=forms.Textarea(attrs={"rows": 2}))
    allergy_override_reason = _text(
        "allergy_override_reason",
        "Allergy override reason",
        help_text="Why you prescribe this drug despite the recorded allergy.",
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    # Shown only once the service found an allergy conflict on this line (or a reason is given).
    show_override = False

    def line_values(self) -> dict:
        """The line as the API would send it: text as typed, numbers only when given."""
        return {name: value for name, value in self.cleaned_data.items() if value is not None}

    def override_needed(self) -> bool:
        return self.show_override or bool(self["allergy_override_reason"].value())


class BaseLineFormSet(forms.BaseFormSet):
    def filled_forms(self) -> list[MedicationLineForm]:
        """The lines the doctor wrote something on; blank rows are left out."""
        return [form for form in self.forms if form.has_changed()]


MedicationLineFormSet = forms.formset_factory(
    MedicationLineForm,
    formset=BaseLineFormSet,
    extra=3,
    max_num=MAX_LINES,
    absolute_max=MAX_LINES + 10,
)


class PrescriptionForm(forms.Form):
    notes = forms.CharField(
        label="Notes",
        required=False,
        max_length=_max(Prescription, "notes"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For the patient and the pharmacist (optional).",
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label="Reason",
        required=False,
        max_length=_max(Prescription, "status_reason"),
        widget=forms.TextInput(),
    )
