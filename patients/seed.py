"""Demo patients and their care teams. Idempotent."""

from datetime import date

from doctors.models import Doctor
from patients import services
from patients.models import CareAssignment, Patient
from users.models import User
from users.seed import DEMO_PASSWORD

DEMO_PATIENTS = [
    (
        "maria.garcia@example.com",
        "María García",
        "Europe/Berlin",
        date(1984, 3, 12),
        "female",
        "+4915123456789",
    ),
    (
        "john.smith@example.com",
        "John Smith",
        "America/New_York",
        date(1959, 11, 2),
        "male",
        "+12125550123",
    ),
    ("li.wei@example.com", "Li Wei", "Europe/Berlin", date(1991, 7, 30), "female", ""),
    (
        "amara.diallo@example.com",
        "Amara Diallo",
        "America/New_York",
        date(1978, 1, 19),
        "female",
        "",
    ),
    ("lukas.becker@example.com", "Lukas Becker", "Europe/Berlin", date(2015, 5, 5), "male", ""),
    ("sofia.rossi@example.com", "Sofia Rossi", "Europe/Berlin", date(1969, 9, 23), "female", ""),
    ("david.cohen@example.com", "David Cohen", "America/New_York", date(1947, 4, 14), "male", ""),
    ("fatima.zahra@example.com", "Fatima Zahra", "Europe/Berlin", date(1995, 12, 1), "female", ""),
    ("kenji.tanaka@example.com", "Kenji Tanaka", "America/New_York", date(1988, 6, 8), "male", ""),
    ("olga.ivanova@example.com", "Olga Ivanova", "Europe/Berlin", date(1956, 2, 27), "female", ""),
    ("pedro.alves@example.com", "Pedro Alves", "Europe/Berlin", date(2001, 8, 16), "male", ""),
    ("grace.obi@example.com", "Grace Obi", "America/New_York", date(1973, 10, 4), "female", ""),
    ("henrik.larsen@example.com", "Henrik Larsen", "Europe/Berlin", date(1962, 3, 3), "male", ""),
    ("aisha.khan@example.com", "Aisha Khan", "America/New_York", date(1999, 1, 25), "female", ""),
    ("tomas.novak@example.com", "Tomáš Novák", "Europe/Berlin", date(1981, 7, 7), "male", ""),
    (
        "emily.clark@example.com",
        "Emily Clark",
        "America/New_York",
        date(2012, 11, 11),
        "female",
        "",
    ),
    ("yusuf.demir@example.com", "Yusuf Demir", "Europe/Berlin", date(1965, 5, 29), "male", ""),
    ("chloe.martin@example.com", "Chloé Martin", "Europe/Berlin", date(1993, 4, 2), "female", ""),
    ("samuel.green@example.com", "Samuel Green", "America/New_York", date(1952, 8, 21), "male", ""),
    (
        "nadia.haddad@example.com",
        "Nadia Haddad",
        "America/New_York",
        date(1986, 12, 30),
        "female",
        "",
    ),
]


def seed_patients(admin: User, doctors: list[Doctor]) -> list[Patient]:
    patients = []
    for index, (email, name, zone, born, sex, phone) in enumerate(DEMO_PATIENTS):
        patient = Patient.objects.select_related("user").filter(user__email__iexact=email).first()
        if patient is None:
            patient = services.patient_register(
                actor=admin,
                email=email,
                full_name=name,
                password=DEMO_PASSWORD,
                phone=phone,
                timezone=zone,
                profile={"date_of_birth": born, "sex": sex},
            )
        patients.append(patient)
        # Each patient's care team: a family doctor in their zone, sometimes a specialist too.
        same_zone = [doctor for doctor in doctors if doctor.timezone == zone]
        team = [same_zone[index % len(same_zone)]]
        if index % 3 == 0:
            team.append(same_zone[(index + 1) % len(same_zone)])
        for doctor in team:
            if not CareAssignment.objects.filter(
                doctor=doctor, patient=patient, active=True
            ).exists():
                services.care_assignment_create(actor=admin, doctor=doctor, patient=patient)
    return patients
