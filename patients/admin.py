from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError

from core.admin import KeyCheckedAutocompleteMixin
from core.admin_tools import accent_insensitive_search, add_service_errors
from core.exceptions import ServiceError
from patients import selectors, services
from patients.access import Access, patient_for_actor, patients_visible_to
from patients.models import INSURANCE_KEYS, CareAssignment, Patient, validate_insurance


class PatientRegistrationForm(forms.ModelForm):
    """The desk registers a patient: the account and its record, made by the patients service
    while the form is validated (so every rule is a form error). The patient is e-mailed a
    link to choose a password."""

    email = forms.EmailField(max_length=254)
    full_name = forms.CharField(max_length=150)
    phone = forms.CharField(max_length=20, required=False, help_text="E.164, e.g. +4915123456789")
    timezone = forms.CharField(
        max_length=64,
        required=False,
        help_text="IANA zone, e.g. Europe/Berlin; the clinic's if empty.",
    )

    class Meta:
        model = Patient
        fields = ["date_of_birth", "sex"]

    def _post_clean(self) -> None:
        # The service checks the record; the model form's own check would run it twice.
        if self.errors:
            return
        data = self.cleaned_data
        try:
            self.registered = services.patient_register(
                actor=self.request.user,
                email=data["email"],
                full_name=data["full_name"],
                phone=data.get("phone", ""),
                timezone=data.get("timezone", ""),
                profile={"date_of_birth": data.get("date_of_birth"), "sex": data["sex"]},
                request=self.request,
            )
        except ServiceError as exc:
            add_service_errors(self, exc)


# The insurance object's keys as the desk types them: one plain text field each.
INSURANCE_LABELS = {
    "provider": "Insurance provider",
    "member_id": "Member id",
    "group_number": "Group number",
}
INSURANCE_FIELDS = {key: (f"insurance_{key}", INSURANCE_LABELS[key]) for key in INSURANCE_KEYS}


def _profile_fields_shown() -> list[str]:
    """The record's fields in the service's order, the insurance as its three text fields."""
    shown = []
    for name in services.PROFILE_FIELDS:
        if name == "insurance":
            shown.extend(field for field, _ in INSURANCE_FIELDS.values())
        else:
            shown.append(name)
    return shown


class PatientChangeForm(forms.ModelForm):
    """A patient's record as the desk changes it. The insurance is typed in plain text fields
    and kept as one object of the fields filled in (cleaned_data["insurance"])."""

    insurance_provider = forms.CharField(label=INSURANCE_LABELS["provider"], required=False)
    insurance_member_id = forms.CharField(label=INSURANCE_LABELS["member_id"], required=False)
    insurance_group_number = forms.CharField(label=INSURANCE_LABELS["group_number"], required=False)

    class Meta:
        model = Patient
        fields = [name for name in services.PROFILE_FIELDS if name != "insurance"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        insurance = self.instance.insurance if isinstance(self.instance.insurance, dict) else {}
        for key, (name, _) in INSURANCE_FIELDS.items():
            self.initial.setdefault(name, insurance.get(key, ""))

    def clean(self):
        data = super().clean()
        insurance = {}
        for key, (name, _) in INSURANCE_FIELDS.items():
            value = data.get(name, "")
            if not value:
                continue  # an empty field is left out
            try:
                validate_insurance({key: value})
            except ValidationError as exc:
                self.add_error(name, exc)
            else:
                insurance[key] = value
        data["insurance"] = insurance
        return data

    @property
    def insurance_changed(self) -> bool:
        return any(name in self.changed_data for name, _ in INSURANCE_FIELDS.values())


@admin.register(Patient)
class PatientAdmin(admin.ModelAdmin):
    list_display = ["__str__", "date_of_birth", "sex", "blood_group"]
    list_filter = ["sex", "blood_group"]
    search_fields = ["user__full_name", "user__email"]
    search_help_text = "Name (accents optional) or e-mail."
    list_select_related = ["user"]
    readonly_fields = ["user"]
    form = PatientChangeForm

    def get_form(self, request, obj=None, **kwargs):
        if obj is None:
            kwargs["form"] = PatientRegistrationForm
            kwargs["fields"] = None
        form = super().get_form(request, obj, **kwargs)
        form.request = request
        return form

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["email", "full_name", "phone", "timezone", "date_of_birth", "sex"]
        return [*_profile_fields_shown(), "user"]

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else self.readonly_fields

    def get_queryset(self, request):
        """Through the door, like the API: each patient shown is audited."""
        return patients_visible_to(request.user)

    def get_search_results(self, request, queryset, search_term):
        if not search_term.strip():
            return queryset, False
        found = accent_insensitive_search(
            queryset, search_term, ["user__full_name"], text_fields=["user__email"]
        )
        return found, False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def save_model(self, request, obj, form, change):
        if not change:
            obj.pk, obj.user = form.registered.pk, form.registered.user  # made by the form
            obj._state.adding = False
            return
        data = {
            name: form.cleaned_data[name]
            for name in form.changed_data
            if name in services.PROFILE_FIELDS
        }
        if form.insurance_changed:
            data["insurance"] = form.cleaned_data["insurance"]
        fresh = patient_for_actor(actor=request.user, patient_id=obj.pk, access=Access.CHANGE)
        services.patient_update(actor=request.user, patient=fresh, data=data, request=request)


class CareAssignmentForm(forms.ModelForm):
    class Meta:
        model = CareAssignment
        fields = ["doctor", "patient", "note"]

    def clean(self):
        data = super().clean()
        if self.instance._state.adding and data.get("doctor") and data.get("patient"):
            try:
                services.care_assignment_check(doctor=data["doctor"], patient=data["patient"])
            except ServiceError as exc:
                add_service_errors(self, exc)
        return data


@admin.register(CareAssignment)
class CareAssignmentAdmin(KeyCheckedAutocompleteMixin, admin.ModelAdmin):
    """Links are made and ended through the patients services, which grant and revoke access."""

    form = CareAssignmentForm
    list_display = ["doctor", "patient", "active", "started_at", "ended_at"]
    list_filter = ["active"]
    search_fields = ["doctor__user__full_name", "patient__user__full_name"]
    list_select_related = ["doctor__user", "patient__user"]
    autocomplete_fields = ["doctor", "patient"]
    actions = ["end_selected"]

    def get_queryset(self, request):
        return selectors.care_assignment_list(actor=request.user)

    def get_readonly_fields(self, request, obj=None):
        return ["doctor", "patient", "active", "started_at", "ended_at"] if obj else []

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def save_model(self, request, obj, form, change):
        if change:
            services.care_assignment_note_update(
                actor=request.user, assignment=obj, note=obj.note, request=request
            )
            return
        created = services.care_assignment_create(
            actor=request.user,
            doctor=form.cleaned_data["doctor"],
            patient=form.cleaned_data["patient"],
            note=form.cleaned_data.get("note", ""),
            request=request,
        )
        obj.pk = created.pk
        obj._state.adding = False

    @admin.action(description="End the selected care assignments")
    def end_selected(self, request, queryset):
        ended = 0
        for assignment in queryset.select_related("doctor__user", "patient__user"):
            try:
                services.care_assignment_end(
                    actor=request.user, assignment=assignment, request=request
                )
                ended += 1
            except ServiceError as exc:
                self.message_user(request, f"{assignment}: {exc.message}", level=messages.ERROR)
        if ended:
            self.message_user(request, f"{ended} care assignment(s) ended.")
