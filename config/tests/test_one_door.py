"""Patient data has one door (patients.access, and each app's selectors built on it): no view,
form, admin page, task or calendar fetches a patient, or a row that belongs to one, any other
way."""

import ast
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.db import models
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from patients.models import Patient

ROOT = Path(settings.BASE_DIR)
# Modules allowed to use a patient-data model's manager directly: the door itself, each app's
# selectors (reads, scoped through the door) and services (writes), and the demo seed.
ALLOWED_MODULES = {"access.py", "selectors.py", "services.py", "seed.py", "models.py"}
PERMISSION_TABLES = (UserObjectPermissionBase, GroupObjectPermissionBase)


def patient_data_models() -> list[type[models.Model]]:
    """Patient, and every model with a foreign key to it: found, not listed, so that a new
    app's records are held to the same rule the day they are added."""
    found: list[type[models.Model]] = [Patient]
    for model in apps.get_models():
        if model is Patient or issubclass(model, PERMISSION_TABLES):
            continue
        if any(
            isinstance(field, models.ForeignKey) and field.related_model is Patient
            for field in model._meta.get_fields()
        ):
            found.append(model)
    return found


def portal_sources() -> list[Path]:
    app_dirs = {ROOT / config.name.split(".")[0] for config in apps.get_app_configs()}
    return [
        source
        for app_dir in sorted(path for path in app_dirs if path.is_dir())
        for source in app_dir.rglob("*.py")
        if "tests" not in source.parts and "migrations" not in source.parts
    ]


def direct_manager_uses(code: str, model_names: set[str]) -> list[str]:
    return [
        f"{node.lineno}: {node.value.id}.{node.attr}"
        for node in ast.walk(ast.parse(code))
        if isinstance(node, ast.Attribute)
        and node.attr in ("objects", "_default_manager", "_base_manager")
        and isinstance(node.value, ast.Name)
        and node.value.id in model_names
    ]


def test_the_patient_data_models_are_found_not_listed():
    names = {model.__name__ for model in patient_data_models()}
    assert {
        "Patient",
        "CareAssignment",
        "Appointment",
        "AppointmentSeries",
        "SymptomCheck",
        "RiskAssessment",
    } <= names
    assert "UserObjectPermission" not in "".join(names)


def test_the_scan_sees_a_stray_fetch():
    stray = "def page(request, pk):\n    return Patient.objects.get(pk=pk)\n"
    assert direct_manager_uses(stray, {"Patient"}) == ["2: Patient.objects"]
    assert direct_manager_uses("patients_visible_to(user).get(pk=1)\n", {"Patient"}) == []


def test_no_module_outside_the_door_fetches_patient_data():
    names = {model.__name__ for model in patient_data_models()}
    sources = portal_sources()
    assert any(source.name == "views.py" for source in sources)  # the scan reaches the doors
    offending = [
        f"{source.relative_to(ROOT)}:{use}"
        for source in sources
        if source.name not in ALLOWED_MODULES
        for use in direct_manager_uses(source.read_text(encoding="utf-8"), names)
    ]
    assert offending == []


def test_every_admin_page_of_patient_data_reads_through_the_door():
    registered = [model for model in patient_data_models() if model in admin.site._registry]
    assert {model.__name__ for model in registered} >= {"Patient", "Appointment"}
    default = admin.ModelAdmin.get_queryset
    assert [
        model.__name__
        for model in registered
        if type(admin.site._registry[model]).get_queryset is default
    ] == []


def test_no_view_writes_an_audit_event_itself():
    """Reads are audited by the selectors and writes by the services, whichever door asked."""
    writers = {"audit_record", "audit_records_bulk"}
    offending = [
        f"{source.relative_to(ROOT)}:{node.lineno}"
        for source in portal_sources()
        if source.name == "views.py"
        for node in ast.walk(ast.parse(source.read_text(encoding="utf-8")))
        if isinstance(node, ast.Name) and node.id in writers
    ]
    assert offending == []
