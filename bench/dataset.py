"""A clinic to measure: doctors, patients, care teams and appointments, repeatable from a seed.

Import it once Django is set up with bench/settings.py on an empty, migrated PostgreSQL
database (bench/run.py and bench/generate.py do that). Rows go in with COPY, but the data is
the application's: every appointment sits on its doctor's published grid (the app's slot
engine, doctors.slots.compute_slots, draws the grid), off the doctor's time off; no two
appointments of one doctor hold overlapping time (buffers included) and no patient has two at
once, which the database's exclusion constraints check as the rows arrive. Past visits are
fulfilled, missed or cancelled, upcoming ones booked, pending (for doctors who confirm requests)
or cancelled, and the near future is fuller than the far. Doctors see their patients as the
app's access rules grant it (patients/access.py): a care assignment or a visit links them, with
one object permission per pair, and each patient holds view and change on their own record.

The same seed and the same `now` (the runner takes the current hour) give the same rows, but
for the encrypted insurance fields (each run has its own key, and each token its own IV).
"""

import math
import random
import unicodedata
import uuid
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group, Permission
from django.db import connection, models, transaction

from appointments.models import Appointment, Status
from bench.pgcopy import copy_rows
from doctors.models import AvailabilityWindow, Doctor, Specialization, TimeOff
from doctors.schedule_cache import schedule_changed
from doctors.slots import Interval, Rules, Slot, Window, compute_slots
from patients.models import CareAssignment, Patient, PatientUserObjectPermission
from prescriptions.models import MedicationLine, Prescription
from users.models import Role, StaffProfile, User

Row = dict[str, Any]


@dataclass(frozen=True)
class Scale:
    doctors: int = 200
    patients: int = 5_000
    appointments: int = 100_000
    staff: int = 10


FIRST_NAMES = (
    "Anna", "Ben", "Carla", "David", "Elif", "Fatima", "Georg", "Hana", "Ivan", "Jana", "Kofi",
    "Lena", "María", "Noah", "Olga", "Pedro", "Quinn", "Rosa", "Sven", "Talia", "Umar", "Vera",
    "Wei", "Ximena", "Yusuf", "Zoë", "José", "Chloé", "Søren", "Aiko", "Marta", "Lukas",
)  # fmt: skip
LAST_NAMES = (
    "Adler", "Becker", "Castillo", "Dubois", "Eriksen", "Fischer", "García", "Haddad", "Ito",
    "Jansen", "Kowalski", "Lindqvist", "Müller", "Nguyen", "Okafor", "Patel", "Quintero",
    "Rossi", "Schmidt", "Tanaka", "Ulrich", "Vargas", "Weber", "Xu", "Yilmaz", "Zimmermann",
    "Núñez", "O'Brien", "Björk", "Moreau", "Hoffmann", "Silva",
)  # fmt: skip
VISIT_REASONS = (
    "Check-up", "Follow-up visit", "Blood pressure review", "Persistent cough", "Back pain",
    "Skin rash", "Vaccination", "Lab results", "Headaches", "Medication review", "Fatigue",
    "Joint pain", "Sore throat", "Annual physical", "Second opinion",
)  # fmt: skip
CANCEL_REASONS = ("Patient asked to cancel", "Doctor away", "Feeling better", "Clash at work")
ALLERGIES = ("Penicillin", "Peanuts", "Latex", "Sulfonamides", "Pollen", "Aspirin")
# No penicillin among them, so that no generated prescription meets a generated allergy:
# (drug, strength, form, dose, frequency).
DRUGS = (
    ("Metformin", "500 mg", "tablet", "1 tablet", "twice daily"),
    ("Atorvastatin", "20 mg", "tablet", "1 tablet", "once daily"),
    ("Lisinopril", "10 mg", "tablet", "1 tablet", "once daily"),
    ("Paracetamol", "500 mg", "tablet", "1-2 tablets", "up to four times daily"),
    ("Salbutamol", "100 mcg", "inhaler", "2 puffs", "as needed"),
    ("Levothyroxine", "50 mcg", "tablet", "1 tablet", "once daily"),
)
# The clinic works from two cities, as in the demo.
DOCTOR_ZONES = ("Europe/Berlin", "Europe/Berlin", "Europe/Berlin", "America/New_York")
PATIENT_ZONES = ("Europe/Berlin", "Europe/Berlin", "America/New_York", "Europe/London")
# Primary care has most doctors; the cross-doctor search asks for the largest specialty.
PRIMARY_CARE_SHARES = {"family-medicine": 0.25, "internal-medicine": 0.10, "pediatrics": 0.075}
SEARCH_SPECIALTY = "family-medicine"

# Weekly timetables, local to the doctor: {weekday: [(start, end), ...]}. Every window ends by
# 18:00 local, so no visit crosses midnight UTC in either city.
_MORNING, _AFTERNOON = (time(8), time(12)), (time(13), time(17))
_LONG_MORNING, _LONG_AFTERNOON = (time(9), time(13)), (time(14), time(18))
TIMETABLES: tuple[dict[int, list[tuple[time, time]]], ...] = (
    {day: [_MORNING, _AFTERNOON] for day in range(5)},  # full time
    {day: [(time(8), time(13))] for day in range(5)},  # mornings
    {day: [(time(9), time(17))] for day in (0, 2, 4)},  # three long days
    {day: [_MORNING, (time(13), time(18))] for day in (1, 3)},  # two days
    {**{day: [_LONG_MORNING, _LONG_AFTERNOON] for day in range(4)}, 5: [(time(9), time(12))]},
)
SLOT_MINUTES = (15, 20, 20, 30, 30, 30)

# How full a day is by how far it lies from today: most past days were busy; the next days are
# nearly full and the far future mostly free.
PAST_FILL = 0.72
FUTURE_DAYS = 59  # within every doctor's booking horizon
GRID_BLOCK_DAYS = 28  # the slot engine draws each doctor's grid four weeks at a time


def future_fill(days_ahead: int) -> float:
    return 0.05 + 0.80 * math.exp(-days_ahead / 25)


HOLDING = {Status.PENDING, Status.BOOKED, Status.ARRIVED}
LINKING = HOLDING | {Status.FULFILLED}  # patients/access.py LINKING_STATUSES


def _uuid(rng: random.Random) -> uuid.UUID:
    return uuid.UUID(int=rng.getrandbits(128), version=4)


def _name(rng: random.Random) -> str:
    return f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"


def _email_part(full_name: str) -> str:
    """ "Dr. María Núñez" -> "dr.maria.nunez"."""
    plain = unicodedata.normalize("NFKD", full_name.lower()).encode("ascii", "ignore").decode()
    return ".".join("".join(ch for ch in word if ch.isalnum()) for word in plain.split())


def _permission_id(codename: str) -> int:
    return Permission.objects.get(content_type__app_label="patients", codename=codename).pk


class Tables:
    """Rows per model, written with COPY in the order the tables were first given rows."""

    def __init__(self) -> None:
        self.rows: dict[type[models.Model], list[Row]] = {}

    def add(self, model: type[models.Model], **row: Any) -> None:
        self.rows.setdefault(model, []).append(row)

    def copy_all(self) -> None:
        for model, rows in self.rows.items():
            label = str(model._meta.verbose_name_plural)
            copy_rows(model, rows, total=len(rows), label=label)


# --- people ---------------------------------------------------------------------------------


@dataclass
class People:
    """What one part of the generation hands the next, by index."""

    doctor_ids: list[uuid.UUID] = field(default_factory=list)
    doctor_user_ids: list[uuid.UUID] = field(default_factory=list)
    primary_care_doctors: list[int] = field(default_factory=list)
    patient_ids: list[uuid.UUID] = field(default_factory=list)
    patient_user_ids: list[uuid.UUID] = field(default_factory=list)


class PeopleGenerator:
    """Users, doctors with specialties, weekly windows and time off, patients, staff, care
    teams, object permissions and prescriptions."""

    def __init__(self, *, seed: int, now: datetime, scale: Scale, password: str) -> None:
        self.rng = random.Random(f"{seed}:people")
        self.now = now
        self.scale = scale
        # One hash for every account (hashing is slow), salted from the seed so that it repeats;
        # 128 bits of salt, or Django would hash it again at the first sign-in.
        salt = f"{self.rng.getrandbits(128):032x}"
        self.password_hash = make_password(password, salt=salt)
        self.groups = dict(Group.objects.values_list("name", "id"))
        self.tables = Tables()
        self.people = People()

    def generate(self) -> None:
        self._doctors()
        self._patients()
        self._staff()
        self._care_teams()
        with transaction.atomic():
            self.tables.copy_all()
            # COPY sends no signals, and the same seed gives the same doctor ids: schedules a
            # cache may hold from an earlier generation are moved on by hand.
            for doctor_id in self.people.doctor_ids:
                schedule_changed(doctor_id)

    def _user(self, role: str, full_name: str, email: str, zone: str, **flags: bool) -> uuid.UUID:
        rng = self.rng
        user_id = _uuid(rng)
        joined = self.now - timedelta(days=rng.randrange(30, 3000))
        self.tables.add(
            User,
            id=user_id,
            password=self.password_hash,
            is_superuser=flags.get("is_superuser", False),
            created_at=joined,
            updated_at=joined,
            email=email,
            full_name=full_name,
            phone=f"+1212555{rng.randrange(10_000):04d}" if rng.random() < 0.6 else "",
            role=role,
            timezone=zone,
            is_active=True,
            is_staff=flags.get("is_staff", False),
            email_verified=True,
            date_joined=joined,
        )
        self.tables.add(User.groups.through, user_id=user_id, group_id=self.groups[role])
        return user_id

    def _doctors(self) -> None:
        rng, now, people = self.rng, self.now, self.people
        specialties = dict(Specialization.objects.values_list("slug", "id"))
        others = sorted(set(specialties) - set(PRIMARY_CARE_SHARES))
        # Primary care first, so that each specialty's share is exact.
        main_specialties = [
            slug
            for slug, share in PRIMARY_CARE_SHARES.items()
            for _ in range(round(share * self.scale.doctors))
        ]
        while len(main_specialties) < self.scale.doctors:
            main_specialties.append(others[len(main_specialties) % len(others)])
        for number, main in enumerate(main_specialties):
            zone = rng.choice(DOCTOR_ZONES)
            name = f"Dr. {_name(rng)}"
            email = f"{_email_part(name)}.{number:03d}@clinic.example"
            user_id = self._user(Role.DOCTOR, name, email, zone)
            doctor_id = _uuid(rng)
            people.doctor_ids.append(doctor_id)
            people.doctor_user_ids.append(user_id)
            if main in PRIMARY_CARE_SHARES:
                people.primary_care_doctors.append(number)
            slot_minutes = rng.choice(SLOT_MINUTES)
            # Some doctors keep five minutes after each visit: their next slot is then taken.
            buffered = slot_minutes >= 30 and rng.random() < 0.3
            self.tables.add(
                Doctor,
                id=doctor_id,
                created_at=now,
                updated_at=now,
                license_number=f"BENCH-{number:05d}",
                bio=f"{name} sees patients in person and by appointment.",
                years_of_experience=rng.randrange(1, 40),
                education="Medical school; residency.",
                timezone=zone,
                accepting_new_patients=rng.random() < 0.9,
                default_visit_minutes=slot_minutes,
                buffer_before_minutes=0,
                buffer_after_minutes=5 if buffered else 0,
                min_booking_notice_minutes=120,
                booking_horizon_days=rng.choice((60, 90)),
                requires_confirmation=rng.random() < 0.1,
                user_id=user_id,
            )
            extra = [rng.choice(others)] if rng.random() < 0.25 else []
            for slug in dict.fromkeys([main, *extra]):
                self.tables.add(
                    Doctor.specializations.through,
                    doctor_id=doctor_id,
                    specialization_id=specialties[slug],
                )
            for weekday, spans in rng.choice(TIMETABLES).items():
                for start, end in spans:
                    self.tables.add(
                        AvailabilityWindow,
                        id=_uuid(rng),
                        created_at=now,
                        updated_at=now,
                        weekday=weekday,
                        start_time=start,
                        end_time=end,
                        slot_minutes=slot_minutes,
                        valid_from=None,
                        valid_to=None,
                        doctor_id=doctor_id,
                    )
            self._time_off(doctor_id, ZoneInfo(zone))

    def _time_off(self, doctor_id: uuid.UUID, zone: ZoneInfo) -> None:
        """A week's holiday every quarter or so, over eight years back and the weeks ahead, and
        a training afternoon ahead for some."""
        rng, now = self.rng, self.now
        today = now.astimezone(zone).date()
        spans: list[tuple[datetime, datetime, str]] = []
        first = rng.randrange(-13 * 7, 0) - 8 * 365
        for offset in range(first, FUTURE_DAYS, rng.randrange(80, 110)):
            day = today + timedelta(days=offset)
            monday = day - timedelta(days=day.weekday())
            start = datetime.combine(monday, time.min, tzinfo=zone)
            spans.append((start, start + timedelta(days=7), "Holiday"))
        if rng.random() < 0.3:
            day = today + timedelta(days=rng.randrange(3, FUTURE_DAYS))
            start = datetime.combine(day, time(13), tzinfo=zone)
            spans.append((start, start + timedelta(hours=4), "Training"))
        for start, end, reason in spans:
            self.tables.add(
                TimeOff,
                id=_uuid(rng),
                created_at=now,
                updated_at=now,
                start=start,
                end=end,
                reason=reason,
                doctor_id=doctor_id,
            )

    def _patients(self) -> None:
        rng, people = self.rng, self.people
        insurance = Patient._meta.get_field("insurance")  # encrypted at rest
        for number in range(self.scale.patients):
            name = _name(rng)
            email = f"{_email_part(name)}.{number:05d}@example.com"
            user_id = self._user(Role.PATIENT, name, email, rng.choice(PATIENT_ZONES))
            patient_id = _uuid(rng)
            people.patient_ids.append(patient_id)
            people.patient_user_ids.append(user_id)
            covered = rng.random() < 0.7
            cover = {"provider": "Clinic Mutual", "member_id": f"M{number:08d}"} if covered else {}
            self.tables.add(
                Patient,
                id=patient_id,
                created_at=self.now,
                updated_at=self.now,
                date_of_birth=date(1940, 1, 1) + timedelta(days=rng.randrange(29_000)),
                sex=rng.choice(("female", "male", "female", "male", "other", "unknown")),
                blood_group=rng.choice(("A+", "A-", "B+", "O+", "O-", "AB+", "unknown")),
                allergies=rng.choice(ALLERGIES) if rng.random() < 0.15 else "",
                emergency_contact_name=_name(rng) if rng.random() < 0.5 else "",
                emergency_contact_phone="",
                emergency_contact_relationship="",
                insurance=insurance.get_prep_value(cover),
                address="",
                user_id=user_id,
            )

    def _staff(self) -> None:
        accounts = [
            (Role.STAFF, f"Front Desk {number:02d}", f"desk.{number:02d}@clinic.example")
            for number in range(1, self.scale.staff + 1)
        ]
        accounts.append((Role.ADMIN, "Clinic Administrator", "admin@clinic.example"))
        for role, name, email in accounts:
            admin = role == Role.ADMIN
            user_id = self._user(
                role, name, email, DOCTOR_ZONES[0], is_staff=True, is_superuser=admin
            )
            self.tables.add(
                StaffProfile,
                id=_uuid(self.rng),
                created_at=self.now,
                updated_at=self.now,
                department="Administration" if admin else "Front desk",
                position="Administrator" if admin else "Receptionist",
                hire_date=(self.now - timedelta(days=self.rng.randrange(100, 3000))).date(),
                status="active",
                user_id=user_id,
            )

    def _care_teams(self) -> None:
        """A primary care doctor for everyone and a specialist for some (a few of those links
        ended); each doctor in an active team may see the patient, each patient themself."""
        rng, now, people = self.rng, self.now, self.people
        view_patient = _permission_id("view_patient")
        change_patient = _permission_id("change_patient")
        for patient_id, patient_user_id in zip(
            people.patient_ids, people.patient_user_ids, strict=True
        ):
            team = [rng.choice(people.primary_care_doctors)]
            if rng.random() < 0.4:
                team.append(rng.randrange(self.scale.doctors))
            for position, doctor in enumerate(dict.fromkeys(team)):
                started = now - timedelta(days=rng.randrange(30, 1500))
                ended = position > 0 and rng.random() < 0.1
                self.tables.add(
                    CareAssignment,
                    id=_uuid(rng),
                    created_at=started,
                    updated_at=started,
                    active=not ended,
                    started_at=started,
                    ended_at=started + timedelta(days=rng.randrange(1, 29)) if ended else None,
                    note="Primary care" if position == 0 else "Specialist care",
                    doctor_id=people.doctor_ids[doctor],
                    patient_id=patient_id,
                )
                if not ended:
                    self._grant(patient_id, view_patient, people.doctor_user_ids[doctor])
            self._grant(patient_id, view_patient, patient_user_id)
            self._grant(patient_id, change_patient, patient_user_id)
            if rng.random() < 0.5:
                self._prescribe(patient_id, people.doctor_ids[team[0]])

    def _grant(self, patient_id: uuid.UUID, permission_id: int, user_id: uuid.UUID) -> None:
        self.tables.add(
            PatientUserObjectPermission,
            content_object_id=patient_id,
            permission_id=permission_id,
            user_id=user_id,
        )

    def _prescribe(self, patient_id: uuid.UUID, doctor_id: uuid.UUID) -> None:
        rng = self.rng
        issued = self.now - timedelta(days=rng.randrange(1, 120), minutes=rng.randrange(600))
        prescription_id = _uuid(rng)
        self.tables.add(
            Prescription,
            id=prescription_id,
            created_at=issued,
            updated_at=issued,
            status="active" if rng.random() < 0.7 else "completed",
            issued_at=issued,
            notes="",
            status_reason="",
            doctor_id=doctor_id,
            patient_id=patient_id,
        )
        for position, drug in enumerate(rng.sample(DRUGS, rng.choice((1, 1, 2)))):
            name, strength, form, dose, frequency = drug
            self.tables.add(
                MedicationLine,
                id=_uuid(rng),
                created_at=issued,
                updated_at=issued,
                position=position,
                drug_name=name,
                strength=strength,
                form=form,
                dose=dose,
                route="inhaled" if form == "inhaler" else "oral",
                frequency=frequency,
                duration_days=30,
                quantity=60,
                refills=rng.randrange(4),
                instructions="",
                allergy_checked=True,
                allergy_findings=[],
                allergy_override_reason="",
                prescription_id=prescription_id,
            )


def generate_people(*, seed: int, now: datetime, scale: Scale, password: str) -> None:
    PeopleGenerator(seed=seed, now=now, scale=scale, password=password).generate()


# --- appointments ---------------------------------------------------------------------------


@dataclass
class DoctorPlan:
    """What booking needs to know of a doctor, loaded back from the database."""

    id: uuid.UUID
    user_id: uuid.UUID
    zone: ZoneInfo
    windows: list[Window]
    time_off: list[Interval]
    buffer_before: timedelta
    buffer_after: timedelta
    requires_confirmation: bool
    panel: list[int] = field(default_factory=list)  # indices of patients in its care


@dataclass
class Clinic:
    doctors: list[DoctorPlan]
    patient_ids: list[uuid.UUID]
    patient_user_ids: list[uuid.UUID]
    staff_user_ids: list[uuid.UUID]
    granted: set[tuple[uuid.UUID, uuid.UUID]]  # (doctor user id, patient id) with view access


def load_clinic() -> Clinic:
    """The people as stored, in a fixed order (so that a seed repeats)."""
    windows: dict[uuid.UUID, list[Window]] = defaultdict(list)
    for row in AvailabilityWindow.objects.order_by("doctor_id", "weekday", "start_time"):
        windows[row.doctor_id].append(
            Window(
                weekday=row.weekday,
                start=row.start_time,
                end=row.end_time,
                slot_minutes=row.slot_minutes,
                valid_from=row.valid_from,
                valid_to=row.valid_to,
            )
        )
    time_off: dict[uuid.UUID, list[Interval]] = defaultdict(list)
    for row in TimeOff.objects.order_by("doctor_id", "start"):
        time_off[row.doctor_id].append(Interval(row.start, row.end))
    doctors = [
        DoctorPlan(
            id=doctor.pk,
            user_id=doctor.user_id,
            zone=ZoneInfo(doctor.timezone),
            windows=windows[doctor.pk],
            time_off=time_off[doctor.pk],
            buffer_before=timedelta(minutes=doctor.buffer_before_minutes),
            buffer_after=timedelta(minutes=doctor.buffer_after_minutes),
            requires_confirmation=doctor.requires_confirmation,
        )
        for doctor in Doctor.objects.order_by("license_number")
    ]
    patients = list(Patient.objects.order_by("user__email").values_list("id", "user_id"))
    index_of = {patient_id: index for index, (patient_id, _) in enumerate(patients)}
    doctor_by_id = {doctor.id: doctor for doctor in doctors}
    teams = CareAssignment.objects.filter(active=True).order_by("doctor_id", "patient__user__email")
    for doctor_id, patient_id in teams.values_list("doctor_id", "patient_id"):
        doctor_by_id[doctor_id].panel.append(index_of[patient_id])
    grants = PatientUserObjectPermission.objects.filter(
        permission_id=_permission_id("view_patient")
    )
    staff = User.objects.filter(role=Role.STAFF).order_by("email")
    return Clinic(
        doctors=doctors,
        patient_ids=[patient_id for patient_id, _ in patients],
        patient_user_ids=[user_id for _, user_id in patients],
        staff_user_ids=list(staff.values_list("id", flat=True)),
        granted=set(grants.values_list("user_id", "content_object_id")),
    )


class Booker:
    """Walks the calendar a day at a time and fills each doctor's grid to that day's level."""

    def __init__(self, clinic: Clinic, rng: random.Random, now: datetime) -> None:
        self.clinic = clinic
        self.rng = rng
        self.now = now
        self.today = now.date()
        # Patients seen on each UTC date: nobody gets two visits in a day, so no patient is ever
        # double-booked. Dates far behind the walk are forgotten.
        self.seen: dict[date, set[int]] = defaultdict(set)
        self.new_grants: set[tuple[uuid.UUID, uuid.UUID]] = set()
        self._grid_block = -1
        self._grids: dict[uuid.UUID, dict[date, list[Slot]]] = {}

    def remember_seen(self, first: date, last: date) -> None:
        """Patients with visits already stored on these UTC dates (when extending)."""
        index_of = {patient_id: index for index, patient_id in enumerate(self.clinic.patient_ids)}
        stored = Appointment.objects.filter(
            start__gte=datetime.combine(first, time.min, tzinfo=UTC),
            start__lt=datetime.combine(last + timedelta(days=1), time.min, tzinfo=UTC),
        )
        for patient_id, start in stored.values_list("patient_id", "start"):
            self.seen[start.date()].add(index_of[patient_id])

    def walk(self, days: Iterable[date], limit: int) -> Iterator[Row]:
        """Appointment rows over these local dates (each doctor's own), at most `limit`."""
        made = 0
        if limit <= 0:
            return
        for day in days:
            fill = PAST_FILL if day < self.today else future_fill((day - self.today).days)
            for doctor in self.clinic.doctors:
                for row in self._book_day(doctor, day, fill):
                    yield row
                    made += 1
                    if made >= limit:
                        return
            for old in [seen for seen in self.seen if abs((seen - day).days) > 3]:
                if abs((old - self.today).days) > 2:  # the two walks meet at today
                    del self.seen[old]

    def _grid(self, doctor: DoctorPlan, day: date) -> list[Slot]:
        """The doctor's published grid on a local date: the app's slot engine over windows and
        time off with nothing booked."""
        block = day.toordinal() // GRID_BLOCK_DAYS
        if block != self._grid_block:
            self._grid_block, self._grids = block, {}
        by_day = self._grids.get(doctor.id)
        if by_day is None:
            first = date.fromordinal(block * GRID_BLOCK_DAYS)
            by_day = self._grids[doctor.id] = defaultdict(list)
            for slot in compute_slots(
                windows=doctor.windows,
                time_off=doctor.time_off,
                busy=[],
                now=datetime.combine(first - timedelta(days=2), time.min, tzinfo=UTC),
                rules=Rules(timezone=doctor.zone, horizon=timedelta(days=GRID_BLOCK_DAYS + 4)),
                first_day=first,
                last_day=first + timedelta(days=GRID_BLOCK_DAYS - 1),
            ):
                by_day[slot.start.astimezone(doctor.zone).date()].append(slot)
        return by_day.get(day, [])

    def _book_day(self, doctor: DoctorPlan, day: date, fill: float) -> Iterator[Row]:
        rng = self.rng
        held_until: datetime | None = None
        for slot in self._grid(doctor, day):
            held_start = slot.start - doctor.buffer_before
            held_end = slot.end + doctor.buffer_after
            if rng.random() >= fill or (held_until is not None and held_start < held_until):
                continue
            # The UTC dates the visit touches: one, as every window ends before midnight UTC.
            seen_on = [self.seen[slot.start.date()]]
            last_utc_day = (slot.end - timedelta(microseconds=1)).date()
            if last_utc_day != slot.start.date():
                seen_on.append(self.seen[last_utc_day])
            patient = self._patient(doctor, seen_on)
            if patient is None:
                continue
            held_until = held_end
            for seen in seen_on:
                seen.add(patient)
            yield self._row(doctor, patient, slot, held_start, held_end)

    def _patient(self, doctor: DoctorPlan, seen_on: list[set[int]]) -> int | None:
        """Mostly a patient in the doctor's care; otherwise anyone free that day."""
        rng = self.rng

        def free(candidate: int) -> bool:
            return all(candidate not in seen for seen in seen_on)

        if doctor.panel and rng.random() < 0.8:
            for _ in range(3):
                candidate = rng.choice(doctor.panel)
                if free(candidate):
                    return candidate
        for _ in range(20):
            candidate = rng.randrange(len(self.clinic.patient_ids))
            if free(candidate):
                return candidate
        return None

    def _row(
        self, doctor: DoctorPlan, patient: int, slot: Slot, held_start: datetime, held_end: datetime
    ) -> Row:
        rng, now = self.rng, self.now
        status = self._status(doctor, slot)
        patient_id = self.clinic.patient_ids[patient]
        patient_user = self.clinic.patient_user_ids[patient]
        staff = rng.choice(self.clinic.staff_user_ids)
        lead = timedelta(days=rng.randrange(1, 30), minutes=rng.randrange(1440))
        created = min(slot.start - lead, now - timedelta(minutes=rng.randrange(1, 600)))
        cancelled = status == Status.CANCELLED
        cancelled_at = min(created + (slot.start - created) * rng.random(), now)
        reminder = slot.start - timedelta(hours=48)
        if status in LINKING:
            self._grant(doctor.user_id, patient_id)
        return {
            "id": _uuid(rng),
            "created_at": created,
            "updated_at": cancelled_at if cancelled else created,
            "start": slot.start,
            "end": slot.end,
            "held_start": held_start,
            "held_end": held_end,
            "status": status,
            "reason": rng.choice(VISIT_REASONS),
            "notes": "",
            "off_grid_reason": "",
            "cancellation_reason": rng.choice(CANCEL_REASONS) if cancelled else "",
            "cancelled_at": cancelled_at if cancelled else None,
            "reminder_sent_at": reminder if created <= reminder <= now and not cancelled else None,
            "booked_by_id": patient_user if rng.random() < 0.65 else staff,
            "cancelled_by_id": (patient_user if rng.random() < 0.6 else staff)
            if cancelled
            else None,
            "doctor_id": doctor.id,
            "patient_id": patient_id,
        }

    def _status(self, doctor: DoctorPlan, slot: Slot) -> str:
        draw = self.rng.random()
        if slot.start > self.now:
            if draw < 0.1:
                return Status.CANCELLED
            return Status.PENDING if doctor.requires_confirmation and draw < 0.5 else Status.BOOKED
        if slot.end > self.now:  # under way
            return Status.ARRIVED if draw < 0.8 else Status.BOOKED
        if slot.end > self.now - timedelta(hours=1) and draw < 0.3:
            return Status.ARRIVED  # still with the doctor, or not yet marked done
        if draw < 0.78:
            return Status.FULFILLED
        if draw < 0.84:
            return Status.NOSHOW
        if draw < 0.985:
            return Status.CANCELLED
        return Status.BOOKED  # never closed at the desk

    def _grant(self, doctor_user_id: uuid.UUID, patient_id: uuid.UUID) -> None:
        """A visit links the doctor to the patient, as booking does (doctor_access_grant)."""
        pair = (doctor_user_id, patient_id)
        if pair not in self.clinic.granted:
            self.clinic.granted.add(pair)
            self.new_grants.add(pair)

    def store_grants(self) -> None:
        view_patient = _permission_id("view_patient")
        rows = [
            {"content_object_id": patient_id, "permission_id": view_patient, "user_id": user_id}
            for user_id, patient_id in sorted(self.new_grants)
        ]
        copy_rows(PatientUserObjectPermission, rows, total=len(rows), label="object permissions")
        self.new_grants.clear()


def _days_back(first: date) -> Iterator[date]:
    day = first
    while True:
        yield day
        day -= timedelta(days=1)


def generate_appointments(*, seed: int, now: datetime, count: int) -> None:
    """The next FUTURE_DAYS days, then back into the past until there are `count`."""
    booker = Booker(load_clinic(), random.Random(f"{seed}:appointments"), now)
    today = now.date()

    def rows() -> Iterator[Row]:
        upcoming = (today + timedelta(days=offset) for offset in range(FUTURE_DAYS + 1))
        made = 0
        for row in booker.walk(upcoming, count):
            made += 1
            yield row
        yield from booker.walk(_days_back(today - timedelta(days=1)), count - made)

    with transaction.atomic():
        copy_rows(
            Appointment, rows(), total=count, label="appointments", deferred_foreign_keys=True
        )
        booker.store_grants()
    vacuum_analyze()


def extend_history(*, seed: int, now: datetime, total: int) -> int:
    """Older history, until the clinic has `total` appointments: the table grows while the
    weeks ahead stay as they were. Returns how many were added."""
    existing = Appointment.objects.count()
    if existing >= total:
        return 0
    earliest = Appointment.objects.order_by("start").values_list("start", flat=True).first()
    first_day = (earliest or now).date()
    booker = Booker(load_clinic(), random.Random(f"{seed}:history:{first_day}"), now)
    booker.remember_seen(first_day - timedelta(days=1), first_day + timedelta(days=1))
    added = total - existing
    rows = booker.walk(_days_back(first_day - timedelta(days=1)), added)
    with transaction.atomic():
        copy_rows(
            Appointment, rows, total=added, label="older appointments", deferred_foreign_keys=True
        )
        booker.store_grants()
    vacuum_analyze()
    return added


def vacuum_analyze() -> None:
    """What autovacuum would have done by now, so that the planner knows the data."""
    tables = (User, Doctor, Patient, CareAssignment, PatientUserObjectPermission, Appointment)
    with connection.cursor() as cursor:
        for model in tables:
            cursor.execute(f"VACUUM (ANALYZE) {connection.ops.quote_name(model._meta.db_table)}")


def default_now() -> datetime:
    """The clock data is generated around: this hour, so that a rerun within it repeats."""
    return datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
