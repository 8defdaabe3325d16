from django.db import migrations

HOLDING = "('pending', 'booked', 'arrived')"

CREATE = [
    "CREATE EXTENSION IF NOT EXISTS btree_gist",
    f"""ALTER TABLE appointments_appointment ADD CONSTRAINT appointments_no_doctor_overlap
        EXCLUDE USING gist (doctor_id WITH =, tstzrange(held_start, held_end, '[)') WITH &&)
        WHERE (status IN {HOLDING})""",
    f"""ALTER TABLE appointments_appointment ADD CONSTRAINT appointments_no_patient_overlap
        EXCLUDE USING gist (patient_id WITH =, tstzrange(start, "end", '[)') WITH &&)
        WHERE (status IN {HOLDING})""",
]
DROP = [
    "ALTER TABLE appointments_appointment DROP CONSTRAINT IF EXISTS appointments_no_doctor_overlap",
    "ALTER TABLE appointments_appointment DROP CONSTRAINT IF EXISTS appointments_no_patient_overlap",
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
