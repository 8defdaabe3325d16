import copy
from collections.abc import Callable
from datetime import datetime
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.options import IS_POPUP_VAR
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Model
from django.forms.models import ModelChoiceIterator, construct_instance
from django.http import HttpRequest
from django.shortcuts import redirect
from django.utils import timezone

from core.admin_tools import add_service_errors
from core.exceptions import ServiceError
from doctors import selectors, services
from doctors.models import AvailabilityWindow, Doctor, Specialization, TimeOff
from users.models import Role, User

TIME_OFF_FIELDS = ("start", "end", "reason")


@admin.register(Specialization)
class SpecializationAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


class ServiceRowForm(forms.ModelForm):
    """One row of a doctor's schedule. Its formset writes it through the doctors services,
    which check it; the model form's own check would run the same rules first, with Django's
    wording instead of the service's."""

    def _post_clean(self) -> None:
        pass


class ServiceFormSet(forms.BaseInlineFormSet):
    """A doctor's rows, written by the doctors services while the page is validated, so that
    every rule a row breaks is an error on that row. DoctorAdmin undoes every write of a page
    that comes back with errors."""

    request: HttpRequest  # set by ServiceInline.get_formset
    row_fields: tuple[str, ...] = ()  # the row's own fields, as the services take them

    def create_row(self, values: dict[str, Any]) -> Model:
        raise NotImplementedError

    def update_row(self, row: Model, values: dict[str, Any]) -> None:
        raise NotImplementedError

    def delete_row(self, row: Model) -> None:
        raise NotImplementedError

    def clean(self) -> None:
        super().clean()
        # What the admin's change message and history record (formset.save() sets them).
        self.new_objects: list[Model] = []
        self.changed_objects: list[tuple[Model, list[str]]] = []
        self.deleted_objects: list[Model] = []
        kept = []
        # Removals first, so that a row may take the place of one removed on the same page.
        for form in self.forms:
            if self.can_delete and self._should_delete_form(form):
                if not form.instance._state.adding:
                    self._write(form, self._delete)
            elif form.has_changed() and not form.errors:
                kept.append(form)
        for form in kept:
            self._write(form, self._create if form.instance._state.adding else self._update)

    def _write(self, form: forms.ModelForm, write: Callable[[forms.ModelForm], None]) -> None:
        try:
            write(form)
        except ServiceError as exc:
            exc.fields.pop("clashing_window", None)  # an id for API clients; the message names it
            add_service_errors(form, exc)

    def _create(self, form: forms.ModelForm) -> None:
        self.new_objects.append(
            self.create_row({name: form.cleaned_data[name] for name in self.row_fields})
        )

    def _update(self, form: forms.ModelForm) -> None:
        changed = [name for name in form.changed_data if name in self.row_fields]
        self.update_row(form.instance, {name: form.cleaned_data[name] for name in changed})
        self.changed_objects.append((form.instance, changed))

    def _delete(self, form: forms.ModelForm) -> None:
        self.delete_row(form.instance)
        self.deleted_objects.append(form.instance)


class AvailabilityFormSet(ServiceFormSet):
    row_fields = services.WINDOW_FIELDS

    def create_row(self, values: dict[str, Any]) -> Model:
        return services.availability_create(actor=self.request.user, doctor=self.instance, **values)

    def update_row(self, row: Model, values: dict[str, Any]) -> None:
        services.availability_update(actor=self.request.user, window=row, data=values)

    def delete_row(self, row: Model) -> None:
        services.availability_delete(actor=self.request.user, window=row)


class TimeOffFormSet(ServiceFormSet):
    row_fields = TIME_OFF_FIELDS

    def create_row(self, values: dict[str, Any]) -> Model:
        return services.time_off_create(actor=self.request.user, doctor=self.instance, **values)

    def delete_row(self, row: Model) -> None:
        services.time_off_delete(actor=self.request.user, time_off=row)


class ServiceInline(admin.TabularInline):
    extra = 0

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.request = request
        return formset


class AvailabilityInlineForm(ServiceRowForm):
    class Meta:
        model = AvailabilityWindow
        fields = list(services.WINDOW_FIELDS)


class AvailabilityInline(ServiceInline):
    model = AvailabilityWindow
    form = AvailabilityInlineForm
    formset = AvailabilityFormSet


class TimeOffInlineForm(ServiceRowForm):
    class Meta:
        model = TimeOff
        fields = list(TIME_OFF_FIELDS)


class TimeOffInline(ServiceInline):
    """Time off is added or removed, never edited (as in the API): to change a block, remove it
    and add the corrected one."""

    model = TimeOff
    form = TimeOffInlineForm
    formset = TimeOffFormSet
    verbose_name_plural = "time off"
    fields = list(TIME_OFF_FIELDS)

    def has_change_permission(self, request, obj=None) -> bool:
        return False  # existing rows are shown read-only; new rows can still be added


class AccountsWithoutProfile(ModelChoiceIterator):
    """The accounts offered for a new doctor profile: active doctor accounts without one."""

    def __init__(self, field):
        super().__init__(field)
        self.queryset = User.objects.filter(
            is_active=True, role=Role.DOCTOR, doctor_profile__isnull=True
        ).order_by("full_name", "email")


class DoctorAccountField(forms.ModelChoiceField):
    """Lists only the accounts that can be given a doctor profile. An account sent anyway (one
    that got its profile from another desk a moment ago, say) is refused by doctors.services,
    which says why."""

    iterator = AccountsWithoutProfile


class DoctorForm(forms.ModelForm):
    """A doctor's profile, written by doctors.services (doctor_create, doctor_update) while the
    form is validated, so that every rule of the service is a form error."""

    request: HttpRequest  # set by DoctorAdmin.get_form

    class Meta:
        model = Doctor
        fields = ["user", "specializations", *services.DOCTOR_FIELDS]

    def _post_clean(self) -> None:
        # Every field's own checks first, all of them, so that one submit lists every such
        # mistake; the service, which checks the rest, runs once the fields are right.
        self._check_fields()
        if self.errors:
            return
        try:
            if self.instance._state.adding:
                self.instance = self._create()
            else:
                self._update()
        except ServiceError as exc:
            add_service_errors(self, exc)

    def _check_fields(self) -> None:
        """The model fields' own validators (ranges, the time-zone name) for every field that
        passed the form's checks, on a copy: the service sets and compares the real instance."""
        probe = copy.copy(self.instance)
        construct_instance(self, probe, self._meta.fields, self._meta.exclude)
        try:
            probe.full_clean(
                exclude={*self._get_validation_exclusions(), "user"},  # the service checks it
                validate_unique=False,
                validate_constraints=False,
            )
        except ValidationError as exc:
            self._update_errors(exc)

    def _create(self) -> Doctor:
        data = dict(self.cleaned_data)
        user, chosen = data.pop("user"), data.pop("specializations")
        return services.doctor_create(
            actor=self.request.user,
            user=user,
            specializations=[item.slug for item in chosen],
            **data,
        )

    def _update(self) -> None:
        data = {name: self.cleaned_data[name] for name in self.changed_data}
        if "specializations" in data:
            data["specializations"] = [item.slug for item in data["specializations"]]
        if data:
            services.doctor_update(actor=self.request.user, doctor=self.instance, data=data)


@admin.register(Doctor)
class DoctorAdmin(admin.ModelAdmin):
    """Doctors, their weekly hours and time off, all written through doctors.services while the
    page is validated; a page that comes back with errors has saved nothing."""

    form = DoctorForm
    fields = ["user", "specializations", *services.DOCTOR_FIELDS]
    list_display = ["__str__", "license_number", "timezone", "accepting_new_patients"]
    list_filter = ["accepting_new_patients", "specializations", "timezone"]
    search_fields = ["user__full_name", "user__email", "license_number"]
    list_select_related = ["user"]
    filter_horizontal = ["specializations"]
    inlines = [AvailabilityInline, TimeOffInline]

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # deactivate the account instead

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        form.request = request
        return form

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else ["user"]  # a profile stays with its account

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "user":
            kwargs["form_class"] = DoctorAccountField
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_inlines(self, request, obj):
        # Hours and time off belong to a doctor that exists: they are entered on its page.
        return [] if obj is None else self.inlines

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        # Before the rollback below: it reads (the content type, on a worker's first page), and
        # a transaction marked for rollback refuses every query.
        response = super().render_change_form(request, context, add, change, form_url, obj)
        if request.method == "POST":
            # The forms wrote through the services while they were validated; a page that
            # comes back with errors leaves nothing behind (changeform_view is one transaction).
            transaction.set_rollback(True)
        return response

    def save_form(self, request, form, change):
        return form.instance  # already written by DoctorForm

    def save_model(self, request, obj, form, change):
        pass  # already written by DoctorForm

    def save_related(self, request, form, formsets, change):
        # The specializations were set by the service and the rows by their formsets.
        for formset in formsets:
            self.save_formset(request, form, formset, change)

    def save_formset(self, request, form, formset, change):
        if formset.model is TimeOff:
            for time_off in formset.new_objects:
                self._warn_of_conflicts(request, time_off)

    def response_add(self, request, obj, post_url_continue=None):
        if IS_POPUP_VAR in request.POST or "_addanother" in request.POST:
            return super().response_add(request, obj, post_url_continue)
        # The new doctor's page is where the weekly hours and time off are entered.
        self.message_user(
            request,
            f"{obj} was added. Enter the weekly hours and time off below.",
            messages.SUCCESS,
        )
        return redirect("admin:doctors_doctor_change", obj.pk)

    def _warn_of_conflicts(self, request: HttpRequest, time_off: TimeOff) -> None:
        """As the API does: bookings inside new time off are listed, not cancelled."""
        conflicts = selectors.schedule_conflicts(time_off.doctor_id, time_off.start, time_off.end)
        if not conflicts:
            return
        listed = "; ".join(
            f"{timezone.localtime(datetime.fromisoformat(item['start'])):%Y-%m-%d %H:%M} "
            f"{item['patient_name']}"
            for item in conflicts
        )
        start, end = timezone.localtime(time_off.start), timezone.localtime(time_off.end)
        self.message_user(
            request,
            f"The time off {start:%Y-%m-%d %H:%M} to {end:%Y-%m-%d %H:%M} overlaps "
            f"{len(conflicts)} appointment(s): {listed}. They were not cancelled and need to "
            "be resolved: reschedule or cancel them in Appointments.",
            messages.WARNING,
        )
