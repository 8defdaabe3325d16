from django.apps import AppConfig


class AppointmentsConfig(AppConfig):
    name = "appointments"
    verbose_name = "Appointments"

    def ready(self) -> None:
        from appointments import selectors
        from doctors.selectors import busy_source_register, conflict_source_register

        # Doctors compute slots from the time that appointments hold, without importing them.
        busy_source_register(selectors.held_spans)
        conflict_source_register(selectors.time_off_conflicts)
