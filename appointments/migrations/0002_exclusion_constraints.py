from django.db import migrations

from appointments.constraints import DOCTOR_OVERLAP, PATIENT_OVERLAP

HOLDING = "('pending', 'booked', 'arrived')"

CREATE = [
    "CREATE EXTENSION IF NOT EXISTS btree_gist",
    f"""ALTER TABLE appointments_appointment ADD CONSTRAINT {DOCTOR_OVERLAP}
        EXCLUDE USING gist (doctor_id WITH =, tstzrange(held_start, held_end, '[)') WITH &&)
        WHERE (status IN {HOLDING})""",
    f"""ALTER TABLE appointments_appointment ADD CONSTRAINT {PATIENT_OVERLAP}
        EXCLUDE USING gist (patient_id WITH =, tstzrange(start, "end", '[)') WITH &&)
        WHERE (status IN {HOLDING})""",
]
DROP = [
    f"ALTER TABLE appointments_appointment DROP CONSTRAINT IF EXISTS {DOCTOR_OVERLAP}",
    f"ALTER TABLE appointments_appointment DROP CONSTRAINT IF EXISTS {PATIENT_OVERLAP}",
]


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in CREATE:
            schema_editor.execute(statement)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in DROP:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    """Double booking is impossible on PostgreSQL: no two appointments that hold time may overlap
    for one doctor (over the span with buffers) or for one patient. SQLite serialises bookings
    with IMMEDIATE transactions instead."""

    dependencies = [("appointments", "0001_initial")]

    operations = [migrations.RunPython(create, drop)]
