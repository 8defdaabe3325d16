"""Server-rendered pages of the doctors app. Slots need the time that bookings hold, which the
appointments app owns: the root URLconf passes it in (`busy`), as for the API."""

from doctors.selectors import BusyLoader


def doctor_page_urls(*, busy: BusyLoader) -> list:
    return []
