"""Names of the database constraints that make double booking impossible (PostgreSQL). The
migration that creates them and the service that turns their violation into a 409 share them."""

DOCTOR_OVERLAP = "appointments_no_doctor_overlap"
PATIENT_OVERLAP = "appointments_no_patient_overlap"
