from django.apps import AppConfig


class AppointmentsConfig(AppConfig):
    name = "appointments"
    verbose_name = "Appointments"

    def ready(self) -> None:
        from appointments import selectors
        from appointments.notifications import AppointmentKind, WaitlistKind
        from core.notifications import notification_kinds_register
        from core.subjects import subject_state_register
        from doctors.selectors import conflict_source_register

        # Time off lists the bookings it overlaps, without the doctors app importing them.
        conflict_source_register(selectors.time_off_conflicts)
        # The messages this app sends (core refuses a kind whose templates are missing).
        notification_kinds_register(AppointmentKind.choices)
        notification_kinds_register(WaitlistKind.choices)
        # A message about an appointment is sent only while what it says still holds.
        subject_state_register(AppointmentKind.values, selectors.message_state_of)
        # An offer's message is sent only while the offer is still open.
        subject_state_register(WaitlistKind.values, selectors.offer_state_of)
