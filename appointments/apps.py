from django.apps import AppConfig


class AppointmentsConfig(AppConfig):
    name = "appointments"
    verbose_name = "Appointments"

    def ready(self) -> None:
        from appointments import selectors
        from core.models import NotificationKind
        from core.subjects import subject_state_register
        from doctors.selectors import busy_source_register, conflict_source_register

        # Doctors compute slots from the time that appointments hold, without importing them.
        busy_source_register(selectors.held_spans)
        conflict_source_register(selectors.time_off_conflicts)
        # A message about an appointment is sent only while what it says still holds.
        appointment_kinds = [
            kind for kind in NotificationKind.values if kind.startswith("appointment_")
        ]
        subject_state_register(appointment_kinds, selectors.message_state_of)
