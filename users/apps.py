from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _sync_role_groups(sender, **kwargs) -> None:
    from users.services import role_groups_sync

    role_groups_sync()


class UsersConfig(AppConfig):
    name = "users"
    verbose_name = "Users"

    def ready(self) -> None:
        from users import checks, receivers  # noqa: F401  (registers them)

        # After every app, so that permissions of apps later in the list exist too.
        post_migrate.connect(_sync_role_groups, dispatch_uid="users.role_groups")
