from django.apps import AppConfig


class PrescriptionsConfig(AppConfig):
    name = "prescriptions"
    verbose_name = "Prescriptions"

    def ready(self) -> None:
        from core.notifications import notification_kinds_register
        from prescriptions.notifications import PrescriptionKind

        notification_kinds_register(PrescriptionKind.choices)
