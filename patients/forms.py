"""Forms of the patients pages: they only read the query into Python values."""

from django import forms


class PatientSearchForm(forms.Form):
    q = forms.CharField(label="Name", required=False, max_length=150, strip=True)


class AccessLogForm(forms.Form):
    include_own = forms.BooleanField(label="Include my own views", required=False)
