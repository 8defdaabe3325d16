"""The public directory's search form: it parses the query string; the filtering itself is the
API's (doctors.filters.DoctorFilter)."""

from collections.abc import Iterable

from django import forms

from doctors.models import Specialization

# Beyond this a page number is no page of any clinic's directory (and would overflow an OFFSET).
MAX_PAGE = 10_000


class DirectoryForm(forms.Form):
    q = forms.CharField(
        label="Name or specialty",
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": "e.g. Lindqvist"}),
    )
    specialty = forms.ChoiceField(label="Specialty", required=False)
    accepting = forms.BooleanField(label="Accepting new patients only", required=False)
    page = forms.IntegerField(min_value=1, max_value=MAX_PAGE, required=False)

    def __init__(self, *args, specializations: Iterable[Specialization], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["specialty"].choices = [
            ("", "All specialties"),
            *((item.slug, item.name) for item in specializations),
        ]

    def values(self) -> dict:
        """The fields that parsed; a field that did not is left out (and shows its error)."""
        if not self.is_bound:
            return {}
        self.is_valid()
        return self.cleaned_data

    def filter_data(self) -> dict[str, str]:
        """The same parameters as the API's `GET /api/v1/doctors/`."""
        values = self.values()
        return {
            "search": values.get("q") or "",
            "specialization": values.get("specialty") or "",
            "accepting_new_patients": "true" if values.get("accepting") else "",
        }
