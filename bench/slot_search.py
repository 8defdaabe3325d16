"""How fast is the cross-doctor slot search for 200 doctors over 30 days?

Runs against a throwaway SQLite database (or DATABASE_URL if set), fills it with doctors,
weekly schedules, time off and booked appointments, then compares, in the same run:

  * bulk:      GET /api/v1/slots/ (schedules loaded once, slots computed a day at a time)
  * per-doctor: the naive way, one doctor_free_slots() call (three queries) per doctor

and prints wall time and SQL query counts for each. Usage:

    .venv/bin/python bench/slot_search.py [--doctors 200] [--days 30] [--repeat 5]
"""

import argparse
import atexit
import os
import shutil
import statistics
import sys
import tempfile
import time
import warnings
from datetime import UTC, datetime, timedelta
from datetime import time as clock
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--doctors", type=int, default=200)
    parser.add_argument("--days", type=int, default=30)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    workdir = tempfile.mkdtemp(prefix="clinic-bench-")
    atexit.register(shutil.rmtree, workdir, ignore_errors=True)  # the throwaway database
    os.environ.setdefault("SQLITE_PATH", str(Path(workdir) / "bench.sqlite3"))
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.local"
    os.environ["DJANGO_DEBUG"] = "false"
    os.environ["LOG_LEVEL"] = "WARNING"
    warnings.filterwarnings("ignore", message="No directory at")

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    call_command("migrate", verbosity=0)
    now = datetime.now(UTC)
    first_day = (now + timedelta(days=1)).date()
    last_day = first_day + timedelta(days=args.days - 1)
    doctors = populate(args.doctors, now)

    from appointments.selectors import held_spans
    from doctors.selectors import doctor_free_slots, doctor_list

    client = Client(HTTP_HOST="127.0.0.1")
    query = {
        "specialization": "neurology",
        "start": first_day.isoformat(),
        "end": last_day.isoformat(),
        "limit": 20,
    }

    def bulk() -> list:
        response = client.get("/api/v1/slots/", query)
        assert response.status_code == 200, response.content[:300]
        return response.json()

    def per_doctor() -> list:
        found = []
        for doctor in doctor_list().filter(specializations__slug="neurology"):
            found += [
                (slot.start, doctor.pk)
                for slot in doctor_free_slots(
                    doctor=doctor, first_day=first_day, last_day=last_day, now=now, busy=held_spans
                )
            ]
        return sorted(found)[:20]

    results = {}
    for name, run in (("bulk", bulk), ("per-doctor", per_doctor)):
        timings = []
        for _ in range(args.repeat):
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                answer = run()
                timings.append(time.perf_counter() - started)
        results[name] = (statistics.median(timings), len(queries), len(answer))

    print(f"doctors={len(doctors)} days={args.days} database={connection.vendor}")
    for name, (seconds, count, found) in results.items():
        print(f"{name:>11}: median {seconds * 1000:8.1f} ms  {count:4d} SQL queries  {found} slots")
    ratio = results["per-doctor"][0] / results["bulk"][0]
    print(f"bulk search is {ratio:.1f}x the speed of one query set per doctor (same run)")


def populate(count: int, now: datetime):
    from django.db import transaction

    from appointments.models import Appointment
    from doctors.models import AvailabilityWindow, Doctor, Specialization, TimeOff
    from patients.models import Patient
    from users.models import User

    neurology = Specialization.objects.get(slug="neurology")
    with transaction.atomic():
        booker = User.objects.create(
            email="bench-staff@example.com", full_name="Bench", role="staff"
        )
        doctors = []
        for number in range(count):
            user = User.objects.create(
                email=f"bench-doctor-{number}@example.com", full_name=f"Doctor {number:03d}",
                role="doctor",
            )  # fmt: skip
            doctor = Doctor.objects.create(
                user=user,
                license_number=f"BENCH-{number}",
                timezone="Europe/Berlin" if number % 2 else "America/New_York",
                min_booking_notice_minutes=0,
                booking_horizon_days=90,
            )
            doctor.specializations.add(neurology)
            patient = Patient.objects.create(  # one per doctor: a patient is never double-booked
                user=User.objects.create(email=f"bench-patient-{number}@example.com", full_name="P")
            )
            AvailabilityWindow.objects.bulk_create(
                AvailabilityWindow(
                    doctor=doctor,
                    weekday=day,
                    start_time=clock(9),
                    end_time=clock(17),
                    slot_minutes=30,
                )
                for day in range(5)
            )
            start = now + timedelta(days=3 + number % 7)
            TimeOff.objects.create(doctor=doctor, start=start, end=start + timedelta(hours=4))
            # Fill the earliest days so the search has to look further.
            for day in range(1, 4):
                for slot in range(16):
                    begin = (now + timedelta(days=day)).replace(
                        hour=7 + slot // 2, minute=30 * (slot % 2), second=0, microsecond=0
                    )
                    Appointment.objects.create(
                        doctor=doctor, patient=patient, start=begin,
                        end=begin + timedelta(minutes=30), held_start=begin,
                        held_end=begin + timedelta(minutes=30), booked_by=booker,
                        status="booked" if (slot + number) % 3 else "cancelled",
                        cancelled_at=now if (slot + number) % 3 == 0 else None,
                    )  # fmt: skip
            doctors.append(doctor)
    return doctors


if __name__ == "__main__":
    main()
