"""The public doctor directory and each doctor's page with a week of free slots."""

import re
from datetime import date, datetime, time, timedelta
from urllib.parse import parse_qs, unquote, urlsplit
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from doctors.selectors import next_free_slots
from doctors.tests.factories import make_doctor
from users import services as user_services
from users.models import Role
from users.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

DIRECTORY = "/doctors/"
BERLIN = ZoneInfo("Europe/Berlin")
EVERY_DAY = {weekday: (time(9), time(12)) for weekday in range(7)}


@pytest.fixture(autouse=True)
def _clinic_in_utc(settings):
    """Visitors see the clinic's zone: UTC here, unless a test says otherwise."""
    settings.CLINIC_TIMEZONE = "UTC"


def doctor_named(full_name: str, **fields):
    fields.setdefault("timezone", "Europe/Berlin")
    user = UserFactory(role=Role.DOCTOR, full_name=full_name, timezone=fields["timezone"])
    return make_doctor(user=user, **fields)


def page_of(doctor) -> str:
    return f"/doctors/{doctor.pk}/"


def next_monday(zone: str) -> date:
    today = datetime.now(ZoneInfo(zone)).date()
    return today - timedelta(days=today.weekday()) + timedelta(days=7)


def this_monday(zone: str) -> date:
    return next_monday(zone) - timedelta(days=7)


def set_zone(user, zone: str) -> None:
    user_services.user_update(actor=user, user=user, data={"timezone": zone})


def assert_no_inline_style_or_script(response) -> None:
    html = response.content.decode()
    assert "style=" not in html
    assert not re.search(r"<script(?![^>]*\bsrc=)", html)
    assert "javascript:" not in html


def book(as_user, patient, doctor, start: datetime) -> None:
    response = as_user(patient).post(
        "/api/v1/appointments/",
        {"doctor": str(doctor.pk), "start": start.isoformat()},
        format="json",
    )
    assert response.status_code == 201, response.content


# --- the directory ---------------------------------------------------------------------------


def test_directory_lists_active_doctors_with_their_next_free_time(client, admin_user):
    asa = doctor_named(
        "Åsa Lindqvist",
        specialties=("Cardiology", "General practice"),
        weekly=EVERY_DAY,
        years_of_experience=12,
    )
    busy_one = doctor_named("Bartholomew Okafor", accepting_new_patients=False)
    gone = doctor_named("Cyrus Gone", weekly=EVERY_DAY)
    user_services.user_set_active(actor=admin_user, user=gone.user, active=False)

    response = client.get(DIRECTORY)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Åsa Lindqvist" in html and "Bartholomew Okafor" in html
    assert "Cyrus Gone" not in html
    assert "Cardiology, General practice" in html
    assert "12 years of experience" in html
    assert "Not accepting new patients" in html and "Accepting new patients" in html
    assert f'href="{page_of(asa)}"' in html and f'href="{page_of(busy_one)}"' in html

    cards = dict(response.context["cards"])
    now = timezone.now()
    today = timezone.localdate()
    [(_, expected)] = next_free_slots(
        doctors=[asa],
        first_day=today - timedelta(days=1),
        last_day=today + timedelta(days=28),
        now=now,
        busy=None,
    )
    assert cards[asa].start == expected.start
    assert cards[busy_one] is None
    assert "No free time in the next 28 days" in html
    shown = expected.start.astimezone(ZoneInfo("UTC"))
    assert f'href="{page_of(asa)}?week={shown:%Y-%m-%d}"' in html
    assert_no_inline_style_or_script(response)


def test_directory_search_and_filters_are_the_apis(client):
    asa = doctor_named("Åsa Lindqvist", specialties=("Cardiology",))
    ben = doctor_named("Ben Øster", specialties=("Dermatology",), accepting_new_patients=False)
    chen = doctor_named("陈 伟", specialties=("General practice",))

    def names(query: dict) -> set[str]:
        response = client.get(DIRECTORY, query)
        assert response.status_code == 200
        return {doctor.user.full_name for doctor, _ in response.context["cards"]}

    everyone = {asa.user.full_name, ben.user.full_name, chen.user.full_name}
    assert names({}) == everyone
    assert names({"q": "lindq"}) == {"Åsa Lindqvist"}
    assert names({"q": "Øster"}) == {"Ben Øster"}
    assert names({"q": "陈"}) == {"陈 伟"}
    assert names({"q": "cardio"}) == {"Åsa Lindqvist"}  # a specialty's name, as on the API
    assert names({"specialty": "dermatology"}) == {"Ben Øster"}
    assert names({"accepting": "on"}) == {"Åsa Lindqvist", "陈 伟"}
    assert names({"q": "a", "specialty": "cardiology"}) == {"Åsa Lindqvist"}
    assert names({"q": "nobody-is-called-this"}) == set()

    page = client.get(DIRECTORY, {"specialty": "cardiology"}).content.decode()
    assert '<option value="cardiology" selected>Cardiology</option>' in page
    assert '<label for="id_specialty">' in page and '<label for="id_q">' in page


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ({"specialty": "no-such-specialty"}, "specialty", "valid choice"),
        ({"q": "ü" * 10_000}, "q", "at most 100"),
        ({"page": "abc"}, "page", "whole number"),
        ({"page": "0"}, "page", "greater than or equal to 1"),
        ({"page": str(10**30)}, "page", "less than or equal to"),
        ({"q": "a\x00b"}, "q", "Null characters"),
    ],
)
def test_bad_directory_queries_show_the_error_and_the_rest_of_the_list(
    client, query, field, message
):
    doctor_named("Åsa Lindqvist")
    response = client.get(DIRECTORY, query)
    assert response.status_code == 200
    form = response.context["form"]
    assert message in " ".join(form.errors[field])
    assert message in response.content.decode()
    assert [d.user.full_name for d, _ in response.context["cards"]] == ["Åsa Lindqvist"]


def test_directory_pages_twenty_doctors_at_a_time(client):
    for number in range(25):
        doctor_named(f"Doctor {number:02d}")
    first = client.get(DIRECTORY)
    assert len(first.context["cards"]) == 20
    assert first.context["has_next"] and not first.context["has_previous"]
    assert 'href="?page=2"' in first.content.decode()

    second = client.get(DIRECTORY, {"page": 2})
    names = [doctor.user.full_name for doctor, _ in second.context["cards"]]
    assert names == [f"Doctor {number:02d}" for number in range(20, 25)]
    assert not second.context["has_next"] and second.context["has_previous"]

    beyond = client.get(DIRECTORY, {"page": 9, "q": "Doctor"})
    assert beyond.context["cards"] == []
    assert "There are no more doctors" in beyond.content.decode()
    assert 'href="?q=Doctor"' in beyond.content.decode()


def test_directory_answers_htmx_with_the_results_alone(client):
    doctor_named("Åsa Lindqvist")
    response = client.get(DIRECTORY, {"q": "Lindq"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<section id="directory-results"')
    assert "<html" not in html and "Åsa Lindqvist" in html
    assert "HX-Request" in response["Vary"]
    full = client.get(DIRECTORY, HTTP_HX_REQUEST="true", HTTP_HX_HISTORY_RESTORE_REQUEST="true")
    assert "<html" in full.content.decode()


@pytest.mark.parametrize("count", [2, 20])
@pytest.mark.parametrize("viewer", ["anonymous", "patient"])
def test_directory_queries_do_not_grow_with_the_doctors(
    client, patient, as_user, django_assert_max_num_queries, count, viewer
):
    doctors = [
        doctor_named(
            f"Doctor {number:02d}", specialties=("Cardiology", "Neurology"), weekly=EVERY_DAY
        )
        for number in range(count)
    ]
    monday = next_monday("Europe/Berlin")
    book(as_user, patient, doctors[0], datetime.combine(monday, time(9), BERLIN))
    if viewer == "patient":
        client.force_login(patient)
    with django_assert_max_num_queries(8):
        response = client.get(DIRECTORY, {"specialty": "cardiology"})
    assert response.status_code == 200
    assert len(response.context["cards"]) == count
    assert all(slot is not None for _, slot in response.context["cards"])


# --- a doctor's page -------------------------------------------------------------------------


def test_doctor_page_shows_the_profile_and_a_week_of_free_times(client):
    doctor = doctor_named(
        "Åsa Lindqvist",
        specialties=("Cardiology",),
        weekly=EVERY_DAY,
        bio="Heart rhythm specialist.\n\nSpeaks Swedish and English.",
        education="Karolinska Institutet, MD 2005",
        default_visit_minutes=45,
        years_of_experience=1,
    )
    monday = next_monday("UTC")
    response = client.get(page_of(doctor), {"week": monday.isoformat()})
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1" in html and "Åsa Lindqvist" in html
    assert "Heart rhythm specialist." in html and "Speaks Swedish and English." in html
    assert "Karolinska Institutet, MD 2005" in html
    assert "Cardiology" in html and "visits of 45 minutes" in html
    assert "1 year of experience" in html
    assert response.context["week_start"] == monday
    week = response.context["week"]
    assert [day for day, _ in week] == [monday + timedelta(days=n) for n in range(7)]
    assert all(len(slots) == 6 for _, slots in week)  # 09:00-12:00 in 30-minute slots
    assert f'href="?week={monday - timedelta(days=7):%Y-%m-%d}"' in html
    assert f'href="?week={monday + timedelta(days=7):%Y-%m-%d}"' in html
    assert_no_inline_style_or_script(response)


def test_this_weeks_page_has_no_previous_week(client):
    doctor = doctor_named("Åsa Lindqvist", weekly=EVERY_DAY)
    response = client.get(page_of(doctor))
    assert response.context["week_start"] == this_monday("UTC")
    assert response.context["previous_week"] is None
    assert "Previous week" not in response.content.decode()
    assert response.context["note"] == ""


@pytest.mark.parametrize(
    ("zone", "window", "expected_weekday"),
    [
        ("America/New_York", (time(9), time(9, 30)), 0),  # Monday 09:00 Berlin: 03:00 or so
        ("Pacific/Kiritimati", (time(22), time(22, 30)), 1),  # Monday 22:00 Berlin: Tuesday
        ("Asia/Kolkata", (time(9), time(9, 30)), 0),  # half-hour offsets
    ],
)
def test_free_times_are_shown_in_the_viewers_zone(client, patient, zone, window, expected_weekday):
    doctor = doctor_named("Åsa Lindqvist", weekly={0: window})
    set_zone(patient, zone)
    client.force_login(patient)
    monday = next_monday(zone)
    start = datetime.combine(monday, window[0], BERLIN)
    # The doctor's Monday as seen from the viewer's week.
    if start.astimezone(ZoneInfo(zone)).date() < monday:
        start += timedelta(days=7)
    local = start.astimezone(ZoneInfo(zone))
    assert local.weekday() == expected_weekday

    response = client.get(page_of(doctor), {"week": monday.isoformat()})
    assert response.status_code == 200
    shown = {day: [slot["start"] for slot in slots] for day, slots in response.context["week"]}
    assert shown[local.date()] == [start]
    assert sum(len(starts) for starts in shown.values()) == 1
    html = response.content.decode()
    assert f">{local:%H:%M}<" in html
    assert zone in html


def test_visitors_see_the_clinics_zone(client, settings):
    settings.CLINIC_TIMEZONE = "Asia/Tokyo"
    doctor = doctor_named("Åsa Lindqvist", weekly={0: (time(9), time(9, 30))})
    monday = next_monday("Asia/Tokyo")
    start = datetime.combine(monday, time(9), BERLIN)
    response = client.get(page_of(doctor), {"week": monday.isoformat()})
    local = start.astimezone(ZoneInfo("Asia/Tokyo"))
    assert local.hour != 9  # the page does not show the doctor's own clock
    assert f">{local:%H:%M}<" in response.content.decode()
    assert "Asia/Tokyo" in response.content.decode()


def test_booked_times_are_not_offered(client, patient, as_user):
    doctor = doctor_named("Åsa Lindqvist", weekly={0: (time(9), time(10))})
    monday = next_monday("Europe/Berlin")
    first = datetime.combine(monday, time(9), BERLIN)
    book(as_user, patient, doctor, first)
    set_zone(patient, "Europe/Berlin")
    client.force_login(patient)
    response = client.get(page_of(doctor), {"week": monday.isoformat()})
    starts = [slot["start"] for _, slots in response.context["week"] for slot in slots]
    assert starts == [first + timedelta(minutes=30)]


def _slot_links(html: str) -> list[str]:
    return [href.replace("&amp;", "&") for href in re.findall(r'href="([^"]*)"', html)]


def test_patients_get_a_link_to_confirm_each_free_time(client, patient):
    doctor = doctor_named("Åsa Lindqvist", weekly={0: (time(9), time(9, 30))})
    monday = next_monday("Europe/Berlin")
    start = datetime.combine(monday, time(9), BERLIN)
    client.force_login(patient)
    html = client.get(page_of(doctor), {"week": monday.isoformat()}).content.decode()
    confirm = reverse("book-confirm", args=[doctor.pk])
    links = [link for link in _slot_links(html) if link.startswith(confirm)]
    assert len(links) == 1
    asked = parse_qs(urlsplit(links[0]).query)["start"][0]
    assert datetime.fromisoformat(asked) == start
    assert 'aria-label="Book ' in html
    assert client.get(links[0]).status_code == 200  # the confirm page takes the link as it is


def test_visitors_are_sent_to_sign_in_first_and_then_to_the_confirm_page(client, patient):
    doctor = doctor_named("Åsa Lindqvist", weekly={0: (time(9), time(9, 30))})
    monday = next_monday("UTC")
    html = client.get(page_of(doctor), {"week": monday.isoformat()}).content.decode()
    confirm = reverse("book-confirm", args=[doctor.pk])
    hrefs = re.findall(r'href="(/accounts/login/\?next=[^"]*)"', html)
    slot_hrefs = [href for href in hrefs if "start" in unquote(href)]
    assert len(slot_hrefs) == 1
    login_url = slot_hrefs[0].replace("&amp;", "&")
    next_url = parse_qs(urlsplit(login_url).query)["next"][0]
    assert next_url.startswith(f"{confirm}?start=")
    start = parse_qs(urlsplit(next_url).query)["start"][0]
    assert datetime.fromisoformat(start) == datetime.combine(monday, time(9), BERLIN)

    page = client.get(login_url)
    assert page.status_code == 200
    signed_in = client.post(
        login_url, {"username": patient.email, "password": "Correct-horse-42", "next": next_url}
    )
    assert signed_in.status_code == 302
    assert signed_in["Location"] == next_url
    assert client.get(next_url).status_code == 200


def test_other_roles_see_the_times_without_booking_links(client, doctor):
    other = doctor_named("Åsa Lindqvist", weekly={0: (time(9), time(9, 30))})
    client.force_login(doctor)
    monday = next_monday(doctor.timezone)
    html = client.get(page_of(other), {"week": monday.isoformat()}).content.decode()
    assert "/confirm/" not in html and "next=" not in html
    assert "<time" in html


@pytest.mark.parametrize(
    ("week", "note"),
    [
        ("garbage", "not a date"),
        ("2025-02-30", "not a date"),
        ("2025-13-01", "not a date"),
        ("06/01/2025", "not a date"),
        ("\u0661\u0662\u0663\u0664-\u0660\u0661-\u0660\u0661", ""),  # Arabic-Indic digits
        ("x" * 10_000, "not a date"),
        ("2000-01-03", "That week is over"),
        ("0001-01-01", "That week is over"),
        ("2100-01-04", "two years ahead"),
        ("9999-12-31", "too far ahead"),
    ],
)
def test_a_bad_week_shows_this_week_with_a_note(client, week, note):
    doctor = doctor_named("Åsa Lindqvist", weekly=EVERY_DAY)
    response = client.get(page_of(doctor), {"week": week})
    assert response.status_code == 200
    assert response.context["note"]  # the page says why it shows another week
    assert note in response.context["note"]
    assert response.context["note"] in response.content.decode()
    assert response.context["week_start"] == this_monday("UTC")


def test_any_day_of_a_week_shows_that_week(client):
    doctor = doctor_named("Åsa Lindqvist", weekly=EVERY_DAY)
    monday = next_monday("UTC")
    response = client.get(page_of(doctor), {"week": (monday + timedelta(days=3)).isoformat()})
    assert response.context["week_start"] == monday
    assert response.context["note"] == ""


@pytest.mark.parametrize(
    "url",
    [
        "/doctors/0b6a8f6e-1f1e-4a51-9c3a-7d2e4b5c6a10/",  # no such doctor
        "/doctors/not-a-uuid/",
        "/doctors/12345/",
        "/doctors/%E2%9C%93/",
    ],
)
def test_unknown_or_malformed_doctors_are_not_found(client, url):
    assert client.get(url).status_code == 404


def test_a_deactivated_doctor_has_no_page(client, admin_user):
    doctor = doctor_named("Åsa Lindqvist", weekly=EVERY_DAY)
    user_services.user_set_active(actor=admin_user, user=doctor.user, active=False)
    assert client.get(page_of(doctor)).status_code == 404


def test_a_doctor_not_taking_new_patients_says_so(client):
    doctor = doctor_named("Åsa Lindqvist", accepting_new_patients=False)
    html = client.get(page_of(doctor)).content.decode()
    assert "Not accepting new patients" in html
    assert "No free time this week" in html


@pytest.mark.parametrize("count", [2, 20])
@pytest.mark.parametrize("viewer", ["anonymous", "patient"])
def test_doctor_page_queries_stay_few(
    client, patient, as_user, django_assert_max_num_queries, count, viewer
):
    doctors = [
        doctor_named(
            f"Doctor {number:02d}", specialties=("Cardiology", "Neurology"), weekly=EVERY_DAY
        )
        for number in range(count)
    ]
    monday = next_monday("Europe/Berlin")
    for hour in (9, 10, 11):
        book(as_user, patient, doctors[0], datetime.combine(monday, time(hour), BERLIN))
    if viewer == "patient":
        set_zone(patient, "Europe/Berlin")
        client.force_login(patient)
    with django_assert_max_num_queries(8):
        response = client.get(page_of(doctors[0]), {"week": monday.isoformat()})
    assert response.status_code == 200
    assert sum(len(slots) for _, slots in response.context["week"]) == 7 * 6 - 3
