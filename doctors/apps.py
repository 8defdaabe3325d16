from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _ensure_specializations(sender, **kwargs) -> None:
    from doctors.specializations import specializations_ensure

    specializations_ensure()


class DoctorsConfig(AppConfig):
    name = "doctors"
    verbose_name = "Doctors"

    def ready(self) -> None:
        from doctors.schedule_cache import schedule_signals_connect

        post_migrate.connect(_ensure_specializations, sender=self, dispatch_uid="doctors.specs")
        # Cached schedules follow every save and delete, whichever door made it.
        schedule_signals_connect()
