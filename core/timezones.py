import zoneinfo
from functools import cache

from django.conf import settings
from django.utils import timezone


@cache
def known_timezones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def is_known_timezone(name: str) -> bool:
    return name in known_timezones()


def zone_name_of(user) -> str:
    """The user's zone; a visitor's, or an account's without a valid one, is the clinic's."""
    name = getattr(user, "timezone", "") if getattr(user, "is_authenticated", False) else ""
    return name if is_known_timezone(name) else settings.CLINIC_TIMEZONE


def activate_zone_of(user) -> None:
    """Show and read times in the user's zone for the rest of this request."""
    timezone.activate(zoneinfo.ZoneInfo(zone_name_of(user)))
