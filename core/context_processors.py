"""Template context every page shares."""

from typing import Any

from django.http import HttpRequest

from core.models import Notification


def unread_notifications(request: HttpRequest) -> dict[str, Any]:
    """The signed-in user's unread count, queried only if a template shows it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    def count() -> int:
        return Notification.objects.filter(user=user, is_read=False).count()

    return {"unread_notifications": count}
