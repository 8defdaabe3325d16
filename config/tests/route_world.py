"""The clinic the route matrix (test_route_matrix.py) walks: two patients, their doctors, a
doctor with no patients, a doctor whose care of B has ended, a member of staff and an
administrator, and one of every kind of object the API has a path for.

Patient B owns the objects that the paths point at; patient A, A's doctor and the two doctors
without a link to B are the intruders. Marker strings are planted in what B (and A, and B's
doctor) keep private, each with the roles that may see it, so that a response can be searched
for data its reader may not see, whatever the route."""

from dataclasses import dataclass
from datetime import time, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from ai_client import services as ai_services
from appointments import services as appointment_services
from appointments.selectors import held_spans
from blogs import services as blog_services
from blogs.models import PostStatus
from core.models import AuditEvent, Notification
from doctors import selectors as doctor_selectors
from doctors import services as doctor_services
from doctors.models import Doctor
from doctors.tests.factories import make_doctor
from health_records.services import attachment_add, health_record_create
from patients import services as patient_services
from patients.models import Patient
from prescriptions.services import prescription_create
from users.models import Role, User
from users.tests.factories import PASSWORD, UserFactory

ANONYMOUS = "anonymous"
PATIENT_A = "patient_a"  # another patient: B's objects are not theirs
PATIENT_B = "patient_b"  # owns every patient-data object the paths point at
DOCTOR_OF_A = "doctor_of_a"  # linked to A only: a doctor with patients, but not B
DOCTOR_OF_B = "doctor_of_b"  # linked to B; owns the doctor-side objects (windows, time off)
DOCTOR_UNLINKED = "doctor_unlinked"  # no patient at all
DOCTOR_FORMER = "doctor_former"  # cared for B until staff ended the assignment
STAFF = "staff"
ADMIN = "admin"
ROLES = (
    ANONYMOUS,
    PATIENT_A,
    PATIENT_B,
    DOCTOR_OF_A,
    DOCTOR_OF_B,
    DOCTOR_UNLINKED,
    DOCTOR_FORMER,
    STAFF,
    ADMIN,
)
SIGNED_IN = frozenset(ROLES) - {ANONYMOUS}
PATIENTS = frozenset({PATIENT_A, PATIENT_B})
DOCTORS = frozenset({DOCTOR_OF_A, DOCTOR_OF_B, DOCTOR_UNLINKED, DOCTOR_FORMER})
DESK = frozenset({STAFF, ADMIN})  # clinic staff; an administrator is staff and more
B_CARE = frozenset({PATIENT_B, DOCTOR_OF_B})  # who reads B's chart
B_CARE_AND_DESK = B_CARE | DESK  # who sees that B exists: profile, appointments, care team
A_CARE = frozenset({PATIENT_A, DOCTOR_OF_A})

# A PDF as the attachment check sniffs it, carrying a marker in its content.
PDF_WITH_MARKER = b"%PDF-1.4\n% qzbpdfcontent\n%%EOF\n"
PDF = b"%PDF-1.4\n%%EOF\n"
PRESCRIPTION_LINE = {
    "drug_name": "Metformin", "dose": "500 mg", "route": "oral", "frequency": "daily",
    "duration_days": 30, "quantity": 30,
}  # fmt: skip

# Marker -> the roles that may read it. Markers are searched case-insensitively in every body.
MARKERS: dict[str, frozenset[str]] = {
    # B's identity and patient record: B, B's doctor and the front desk.
    "qzbname": B_CARE_AND_DESK,
    "qzbmail": B_CARE_AND_DESK,
    "qzbaddress": B_CARE_AND_DESK,
    "qzbcontact": B_CARE_AND_DESK,
    "qzbinsurance": B_CARE_AND_DESK,
    "qzballergy": B_CARE_AND_DESK,
    "qzbvisitreason": B_CARE_AND_DESK,
    "qzbcarenote": B_CARE_AND_DESK,
    # B's chart and AI results: B and B's doctor only (front-desk staff do not read charts).
    "qzbrecordnote": B_CARE,
    "qzbscanname": B_CARE,
    "qzbpdfcontent": B_CARE,
    "qzbprescription": B_CARE,
    "qzbdosing": B_CARE,
    "qzbsymptoms": B_CARE,
    # B's own inbox.
    "qzbinbox": frozenset({PATIENT_B}),
    # A, for the readers on B's side.
    "qzaname": frozenset({PATIENT_A, DOCTOR_OF_A}) | DESK,
    "qzarecordnote": A_CARE,
    # B's doctor's private schedule and drafts, and a comment their moderation hid.
    "qzdtimeoff": frozenset({DOCTOR_OF_B}) | DESK,
    "qzddraft": frozenset({DOCTOR_OF_B}) | DESK,
    "qzdhiddencomment": frozenset({DOCTOR_OF_B}) | DESK,
}


# The ids of private objects are markers too: a list that shows a row of B's, however bare,
# shows its id. Who may read each one (the audit log names every resource by its id).
ID_READERS: dict[str, frozenset[str]] = {
    "patient_b": B_CARE_AND_DESK,
    "user_b": B_CARE_AND_DESK,
    "care_assignment_b": B_CARE_AND_DESK,
    "appointment_b": B_CARE_AND_DESK,
    "series_b": B_CARE_AND_DESK,
    "waitlist_entry_b": B_CARE_AND_DESK,
    "waitlist_offer_b": B_CARE_AND_DESK,
    "record_b": B_CARE | {ADMIN},
    "attachment_b": B_CARE | {ADMIN},
    "prescription_b": B_CARE | {ADMIN},
    "symptom_check_b": B_CARE | {ADMIN},
    "risk_assessment_b": B_CARE | {ADMIN},
    "notification_b": frozenset({PATIENT_B}),
    "time_off_b": frozenset({DOCTOR_OF_B}) | DESK,
    "comment_b": frozenset({DOCTOR_OF_B}) | DESK,  # a hidden comment: its moderators
}


@dataclass(frozen=True)
class RouteWorld:
    users: dict[str, User | None]  # role -> account (None: anonymous)
    ids: dict[str, str]  # name -> a real value for paths and bodies

    @property
    def markers(self) -> dict[str, frozenset[str]]:
        """Every marker, planted text and private ids alike, with the roles that may read it."""
        ids = {self.ids[name].lower(): readers for name, readers in ID_READERS.items()}
        return {**MARKERS, **ids}


def _register(name: str, email: str, **profile) -> Patient:
    return patient_services.patient_register(
        actor=None,
        email=email,
        full_name=name,
        password=PASSWORD,
        timezone="Europe/Berlin",
        profile=profile,
    )


def _every_day_doctor() -> Doctor:
    return make_doctor(weekly={day: (time(6), time(20)) for day in range(7)}, slot_minutes=30)


def build_route_world() -> RouteWorld:
    """Every object a path can name, made through the services as the other doors do."""
    admin = UserFactory(role=Role.ADMIN, full_name="Ada Admin")
    staff = UserFactory(role=Role.STAFF, full_name="Desk Staff")
    patient_a = _register("Alma Qzaname", "alma@example.com")
    patient_b = _register(
        "Bertha Qzbname",
        "qzbmail@example.com",
        address="1 Qzbaddress Street",
        emergency_contact_name="Carl Qzbcontact",
        insurance={"provider": "Health Fund", "member_id": "QZBINSURANCE-1"},
        allergies="Qzballergy dust",
    )
    # Comments come from a patient with no marker: a comment's author name is public.
    commenter = _register("Casual Reader", "reader@example.com")
    doctor_of_a = _every_day_doctor()
    doctor_of_b = _every_day_doctor()
    doctor_unlinked = make_doctor()
    doctor_former = make_doctor()

    patient_services.care_assignment_create(
        actor=staff, doctor=doctor_of_a, patient=patient_a, note="Family doctor"
    )
    care_b = patient_services.care_assignment_create(
        actor=staff, doctor=doctor_of_b, patient=patient_b, note="Qzbcarenote follow-up"
    )

    # Ending an assignment takes the doctor's access away at once (their own history stays).
    ended_b = patient_services.care_assignment_create(
        actor=staff, doctor=doctor_former, patient=patient_b
    )
    patient_services.care_assignment_end(actor=staff, assignment=ended_b)

    # Three days out and more: past the cancellation notice, so B may still move or cancel.
    today = timezone.localdate()
    slots_b = doctor_selectors.doctor_free_slots(
        doctor=doctor_of_b,
        first_day=today + timedelta(days=3),
        last_day=today + timedelta(days=5),
        now=timezone.now(),
        busy=held_spans,
    )
    appointment_b = appointment_services.appointment_book(
        actor=patient_b.user,
        doctor=doctor_of_b,
        patient=patient_b,
        start=slots_b[0].start,
        reason="Qzbvisitreason checkup",
    )
    series_b = appointment_services.series_book(
        actor=patient_b.user,
        doctor=doctor_of_b,
        patient=patient_b,
        start=slots_b[4].start,
        every_weeks=1,
        count=2,
    ).series
    # B waits for a slot with their doctor, and has been offered one (held for them).
    waitlist_b = appointment_services.waitlist_join(
        actor=patient_b.user,
        patient=patient_b,
        doctor=doctor_of_b,
        earliest_date=today,
        latest_date=today + timedelta(days=30),
    )
    offer_b = appointment_services.waitlist_offer_slot(
        doctor_id=doctor_of_b.pk, start=slots_b[8].start, end=slots_b[8].end
    )
    slots_a = doctor_selectors.doctor_free_slots(
        doctor=doctor_of_a,
        first_day=today + timedelta(days=3),
        last_day=today + timedelta(days=5),
        now=timezone.now(),
        busy=held_spans,
    )
    appointment_services.appointment_book(
        actor=patient_a.user, doctor=doctor_of_a, patient=patient_a, start=slots_a[0].start
    )

    record_b = health_record_create(
        actor=doctor_of_b.user,
        patient=patient_b,
        record_type="note",
        data={"text": "Qzbrecordnote: sleeps badly"},
    )
    attachment_b = attachment_add(
        actor=doctor_of_b.user,
        record=record_b,
        upload=SimpleUploadedFile("qzbscanname.pdf", PDF_WITH_MARKER),
    )
    record_a = health_record_create(
        actor=doctor_of_a.user,
        patient=patient_a,
        record_type="note",
        data={"text": "Qzarecordnote: fine"},
    )
    prescription_b = prescription_create(
        actor=doctor_of_b.user,
        patient=patient_b,
        lines=[{**PRESCRIPTION_LINE, "instructions": "Qzbdosing with food"}],
        notes="Qzbprescription review in a month",
    )
    check_b = ai_services.symptom_check_run(
        actor=patient_b.user, symptoms=["cough"], text="qzbsymptoms at night", now=timezone.now()
    ).check
    assessment_b = ai_services.risk_assessment_run(
        actor=patient_b.user,
        patient=None,
        score="bmi",
        inputs={"weight_kg": 70.0, "height_cm": 170.0},
        today=today,
    )
    notification_b = Notification.objects.create(
        user=patient_b.user,
        kind="health_record_added",
        title="Qzbinbox: your results",
        body="Qzbinbox body",
    )
    audit_event_b = AuditEvent.objects.filter(patient=patient_b.user).order_by("at").first()

    window_b = doctor_of_b.availability.order_by("weekday").first()
    last_slot = slots_b[-1].start
    time_off_b = doctor_services.time_off_create(
        actor=staff,
        doctor=doctor_of_b,
        start=last_slot + timedelta(days=30),
        end=last_slot + timedelta(days=31),
        reason="Qzdtimeoff surgery",
    )

    post_b = blog_services.post_create(
        actor=doctor_of_b.user,
        title="Sleeping well",
        body="Sleep **eight** hours.",
        status=PostStatus.PUBLISHED,
    )
    draft_b = blog_services.post_create(
        actor=doctor_of_b.user, title="Qzddraft unfinished", body="Later."
    )
    post_a = blog_services.post_create(
        actor=doctor_of_a.user,
        title="Walking daily",
        body="Walk.",
        status=PostStatus.PUBLISHED,
    )
    blog_services.comment_create(actor=commenter.user, post=post_b, body="Thank you!")
    hidden_comment = blog_services.comment_create(
        actor=commenter.user, post=post_b, body="Qzdhiddencomment spam"
    )
    blog_services.comment_set_hidden(actor=doctor_of_b.user, comment=hidden_comment, hidden=True)

    return RouteWorld(
        users={
            ANONYMOUS: None,
            PATIENT_A: patient_a.user,
            PATIENT_B: patient_b.user,
            DOCTOR_OF_A: doctor_of_a.user,
            DOCTOR_OF_B: doctor_of_b.user,
            DOCTOR_UNLINKED: doctor_unlinked.user,
            DOCTOR_FORMER: doctor_former.user,
            STAFF: staff,
            ADMIN: admin,
        },
        ids={
            "patient_a": str(patient_a.pk),
            "patient_b": str(patient_b.pk),
            "user_b": str(patient_b.user.pk),
            "doctor_of_a": str(doctor_of_a.pk),
            "doctor_of_b": str(doctor_of_b.pk),
            "specialization": str(doctor_of_b.specializations.get().pk),
            "specialization_slug": doctor_of_b.specializations.get().slug,
            "care_assignment_b": str(care_b.pk),
            "care_assignment_ended": str(ended_b.pk),
            "appointment_b": str(appointment_b.pk),
            "appointment_b_start": appointment_b.start.isoformat(),
            "appointment_b_end": appointment_b.end.isoformat(),
            "series_b": str(series_b.pk),
            "waitlist_entry_b": str(waitlist_b.pk),
            "waitlist_offer_b": str(offer_b.pk),
            "free_start_b": slots_b[2].start.isoformat(),
            "record_a": str(record_a.record_id),
            "record_b": str(record_b.record_id),
            "attachment_b": str(attachment_b.pk),
            "prescription_b": str(prescription_b.pk),
            "symptom_check_b": str(check_b.pk),
            "risk_assessment_b": str(assessment_b.pk),
            "notification_b": str(notification_b.pk),
            "audit_event_b": str(audit_event_b.pk),
            "staff_profile": str(staff.staff_profile.pk),
            "window_b": str(window_b.pk),
            "time_off_b": str(time_off_b.pk),
            "post_a": post_a.slug,
            "post_b": post_b.slug,
            "draft_b": draft_b.slug,
            "comment_b": str(hidden_comment.pk),
            "today": today.isoformat(),
            "in_a_week": (today + timedelta(days=6)).isoformat(),
        },
    )
