from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.http import require_safe

from appointments import calendars
from appointments.models import CalendarFeed


@require_safe
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """A user's appointments as a calendar subscription; the secret token is the key.
    Calendar clients ask with HEAD whether it is there: that answers without reading it."""
    feed = CalendarFeed.objects.select_related("user").filter(token=token).first()
    if feed is None or not feed.user.is_active:
        raise Http404("No such calendar.")
    if request.method == "HEAD":
        return HttpResponse(content_type="text/calendar; charset=utf-8")
    appointments = calendars.feed_appointments(feed.user)  # audited as read by the owner
    body = calendars.calendar_for(appointments, name="Clinic appointments")
    return HttpResponse(body, content_type="text/calendar; charset=utf-8")
