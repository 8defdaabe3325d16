"""Times as people read them, in messages."""

from datetime import datetime

from django import template
from django.template.defaultfilters import date as date_filter
from django.utils import timezone

register = template.Library()


@register.filter(expects_localtime=True)
def clock(value, arg: str = "") -> str:
    """Like `date`, in the active time zone; a wall time that happens twice (the hour the
    clocks go back) gets its zone's abbreviation, so "01:30 EDT" and "01:30 EST" differ."""
    shown = date_filter(value, arg)
    if not isinstance(value, datetime) or timezone.is_naive(value) or "H" not in arg:
        return shown
    local = timezone.localtime(value)
    other = local.replace(fold=1 - local.fold)
    if other.utcoffset() != local.utcoffset():
        return f"{shown} {local.tzname()}"
    return shown
