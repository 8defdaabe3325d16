import pytest
from django.core.management import CommandError, call_command

from appointments.models import Appointment, Status
from blogs.models import BlogPost
from doctors.models import Doctor
from patients.models import CareAssignment, Patient
from users.models import Role, User


@pytest.mark.django_db
def test_seed_demo_is_idempotent_and_prints_the_logins(capsys):
    call_command("seed_demo", force=True)
    first = capsys.readouterr().out
    counts = {role: User.objects.filter(role=role).count() for role in Role.values}
    call_command("seed_demo", force=True)
    assert {role: User.objects.filter(role=role).count() for role in Role.values} == counts
    assert all(counts[role] >= 1 for role in Role.values)
    assert "admin@clinic.example" in first
    assert "Clinic-demo-2026" in first


@pytest.mark.django_db
def test_demo_logins_work(client):
    call_command("seed_demo", force=True)
    for user in User.objects.all():
        response = client.post(
            "/api/v1/auth/token/",
            {"email": user.email, "password": "Clinic-demo-2026"},
            content_type="application/json",
        )
        assert response.status_code == 200, user.email


@pytest.mark.django_db
def test_the_demo_clinic_has_what_a_visitor_expects():
    call_command("seed_demo", force=True)
    assert Doctor.objects.count() >= 8
    assert Doctor.objects.values("timezone").distinct().count() >= 2
    assert all(doctor.availability.exists() for doctor in Doctor.objects.all())
    assert Patient.objects.count() >= 20
    assert CareAssignment.objects.filter(active=True).count() >= 20
    assert BlogPost.objects.filter(status="published").count() >= 3
    statuses = set(Appointment.objects.values_list("status", flat=True))
    assert statuses == set(Status.values)


@pytest.mark.django_db
def test_seed_demo_refuses_without_debug_unless_forced(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="--force"):
        call_command("seed_demo")
    assert not User.objects.exists()
