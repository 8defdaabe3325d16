from django.apps import AppConfig


class HealthRecordsConfig(AppConfig):
    name = "health_records"
    verbose_name = "Health records"

    def ready(self) -> None:
        from core.notifications import notification_kinds_register
        from health_records.notifications import HealthRecordKind

        notification_kinds_register(HealthRecordKind.choices)
