import pytest
from django.core.management import CommandError, call_command
from django.utils.text import slugify

from appointments.models import Appointment, Status
from blogs.models import BlogPost, Comment
from blogs.seed import ARTICLES, COMMENTS
from doctors.models import Doctor
from health_records.models import RecordType
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
    # Every patient has a chart: vitals over time and one of each other kind.
    for patient in Patient.objects.all():
        kinds = list(patient.health_records.values_list("record_type", flat=True))
        assert kinds.count("vital_signs") == 3
        assert set(kinds) == set(RecordType.values), patient
        assert patient.prescriptions.filter(status="active").count() == 1


@pytest.mark.django_db
def test_seed_demo_refuses_without_debug_unless_forced(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="--force"):
        call_command("seed_demo")
    assert not User.objects.exists()


@pytest.mark.django_db
def test_seeded_comments_sit_under_the_post_they_talk_about():
    call_command("seed_demo", force=True)
    call_command("seed_demo", force=True)
    # The table is keyed by the slug of the post each comment is about, and every key is a post.
    assert set(COMMENTS) <= {slugify(title, allow_unicode=True) for _, title, _, _ in ARTICLES}
    seeded = sorted(
        (comment.post.slug, comment.author.email, comment.body)
        for comment in Comment.objects.select_related("post", "author")
    )
    expected = sorted(
        (slug, email, body) for slug, comments in COMMENTS.items() for email, body in comments
    )
    assert seeded and seeded == expected

    def post_of(start: str) -> str:
        return Comment.objects.select_related("post").get(body__startswith=start).post.title

    assert post_of("Thank you, the table") == "Understanding your blood pressure numbers"
    assert post_of("Should I measure on both arms?") == "Understanding your blood pressure numbers"
    sleep = BlogPost.objects.get(title="Sleep and mood: what the evidence says")
    assert not sleep.comments.filter(body__icontains="table").exists()
    assert not sleep.comments.filter(body__icontains="measure").exists()
