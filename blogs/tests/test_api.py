import pytest
from django.db import connection

from blogs.models import BlogPost, Comment, PostStatus
from blogs.services import comment_create, post_create
from core.testing import assert_error
from users.models import Role
from users.tests.factories import UserFactory
from users.tests.utils import client_for

pytestmark = pytest.mark.django_db

BLOGS = "/api/v1/blogs/"


def publish(author, title="Healthy sleep", body="Sleep matters.", tags=("sleep",)):
    return post_create(actor=author, title=title, body=body, tags=tags, status=PostStatus.PUBLISHED)


def draft(author, title="Unfinished thoughts"):
    return post_create(actor=author, title=title, body="Not ready yet.")


def test_doctor_writes_publishes_and_everyone_reads(doctor, api_client):
    client = client_for(doctor)
    created = client.post(
        BLOGS,
        {
            "title": "Grippe et vaccin : ce qu'il faut savoir",
            "body": "# Hi\n\n**Vaccinate.**",
            "tags": ["flu", "vaccines"],
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    post = created.json()
    assert post["status"] == "draft" and post["published_at"] is None
    assert post["slug"] == "grippe-et-vaccin-ce-quil-faut-savoir"
    assert "<strong>Vaccinate.</strong>" in post["body_html"]
    assert post["body"] == "# Hi\n\n**Vaccinate.**"
    assert_error(api_client.get(f"{BLOGS}{post['id']}/"), 404)  # drafts are private

    published = client.patch(f"{BLOGS}{post['id']}/", {"status": "published"}, format="json")
    assert published.status_code == 200 and published.json()["published_at"]
    by_slug = api_client.get(f"{BLOGS}{post['slug']}/")
    assert by_slug.status_code == 200 and by_slug.json()["id"] == post["id"]


def test_unicode_titles_get_unique_readable_slugs(doctor):
    first = publish(doctor, title="Здоровый сон")
    second = publish(doctor, title="Здоровый сон")
    emoji = publish(doctor, title="🌞🌞")
    assert first.slug == "здоровый-сон"
    assert second.slug == "здоровый-сон-2"
    assert emoji.slug == "post"


def test_a_post_never_takes_the_path_of_a_blog_page(doctor, client):
    for title in ("Feed", "Mine", "Moderation"):
        post = publish(doctor, title=title)
        assert post.slug == f"{title.lower()}-2"
        assert client.get(f"/blog/{post.slug}/").status_code == 200


@pytest.mark.parametrize("role", [Role.PATIENT])
def test_patients_cannot_post(role, api_client):
    response = client_for(UserFactory(role=role)).post(BLOGS, {"title": "Mine", "body": "x"})
    assert_error(response, 403)
    assert_error(api_client.post(BLOGS, {"title": "Anon", "body": "x"}), 401)
    assert not BlogPost.objects.exists()


def test_staff_write_too(staff):
    assert (
        client_for(staff).post(BLOGS, {"title": "Opening hours", "body": "Changed."}).status_code
        == 201
    )


def test_only_the_author_or_staff_change_or_delete(doctor, other_doctor, staff, patient):
    post = publish(doctor)
    target = f"{BLOGS}{post.pk}/"
    assert_error(client_for(other_doctor).patch(target, {"title": "Mine now"}), 403)
    assert_error(client_for(patient).delete(target), 403)
    assert client_for(staff).patch(target, {"title": "Edited by staff"}).status_code == 200
    assert client_for(doctor).delete(target).status_code == 204
    assert not BlogPost.objects.exists()


def test_someone_else_s_draft_answers_404(doctor, other_doctor):
    post = draft(doctor)
    assert_error(client_for(other_doctor).get(f"{BLOGS}{post.pk}/"), 404)
    assert_error(client_for(other_doctor).patch(f"{BLOGS}{post.pk}/", {"title": "x"}), 404)


@pytest.mark.parametrize("key", ["no-such-post", "00000000-0000-0000-0000-000000000000"])
def test_unknown_slug_or_id_is_404(api_client, key):
    assert_error(api_client.get(f"{BLOGS}{key}/"), 404)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"title": "", "body": "x"}, "title"),
        ({"title": "   ", "body": "x"}, "title"),
        ({"title": "t" * 201, "body": "x"}, "title"),
        ({"title": "ok", "body": ""}, "body"),
        ({"title": "ok", "body": "x", "status": "archived"}, "status"),
        ({"title": "ok", "body": "x", "tags": "not-a-list"}, "tags"),
        ({"title": "ok", "body": "x", "tags": ["t" * 51]}, "tags"),
    ],
)
def test_post_bad_input(doctor, body, field):
    response = client_for(doctor).post(BLOGS, body, format="json")
    assert field in assert_error(response, 400)["fields"]
    assert not BlogPost.objects.exists()


def test_drafts_never_show_on_lists_searches_or_filters(doctor, other_doctor, staff, api_client):
    publish(doctor, title="Public sleep article", body="sleep")
    secret = draft(doctor, title="Secret sleep draft")

    def titles(client, **params):
        return {row["title"] for row in client.get(BLOGS, params).json()["results"]}

    for client in (
        api_client,
        client_for(other_doctor),
        client_for(UserFactory(role=Role.PATIENT)),
    ):
        assert secret.title not in titles(client)
        assert secret.title not in titles(client, search="sleep")
        assert secret.title not in titles(client, status="draft")
        assert secret.title not in titles(client, author=str(doctor.pk))
    assert secret.title in titles(client_for(doctor))
    assert secret.title in titles(client_for(staff), status="draft")


def test_filters_by_tag_author_and_date(doctor, other_doctor, api_client):
    mine = publish(doctor, title="Heart basics", tags=("heart",))
    publish(other_doctor, title="Skin basics", tags=("skin",))

    def ids(**params):
        return [row["id"] for row in api_client.get(BLOGS, params).json()["results"]]

    assert ids(tag="heart") == [str(mine.pk)]
    assert ids(author=str(doctor.pk)) == [str(mine.pk)]
    today = mine.published_at.date().isoformat()
    assert len(ids(published_after=today)) == 2
    assert ids(published_before="2000-01-01") == []
    assert_error(api_client.get(BLOGS, {"published_after": "yesterday"}), 400)
    assert_error(api_client.get(BLOGS, {"author": "someone"}), 400)


def test_search_finds_words_and_puts_title_matches_first(doctor, api_client):
    body_hit = publish(doctor, title="Winter advice", body="Keep your blood pressure in check.")
    title_hit = publish(
        doctor, title="Blood pressure explained", body="Numbers and what they mean."
    )
    publish(doctor, title="Unrelated", body="Nothing here.")
    rows = api_client.get(BLOGS, {"search": "blood pressure"}).json()["results"]
    assert [row["id"] for row in rows] == [str(title_hit.pk), str(body_hit.pk)]


@pytest.mark.postgres
def test_postgres_full_text_ranks_title_above_body_and_stems_words(doctor, api_client):
    assert connection.vendor == "postgresql"
    body_hit = publish(doctor, title="Winter advice", body="Vaccinations protect the elderly.")
    title_hit = publish(doctor, title="Vaccination for adults", body="What to expect.")
    rows = api_client.get(BLOGS, {"search": "vaccinated"}).json()["results"]
    assert [row["id"] for row in rows] == [str(title_hit.pk), str(body_hit.pk)]
    updated = client_for(doctor).patch(f"{BLOGS}{body_hit.pk}/", {"title": "Vaccinations now"})
    assert updated.status_code == 200  # the service keeps the search vector current
    rows = api_client.get(BLOGS, {"search": "vaccination"}).json()["results"]
    assert len(rows) == 2


def test_list_queries_stay_constant(doctor, api_client, patient, django_assert_max_num_queries):
    for index in range(12):
        post = publish(doctor, title=f"Post {index}", tags=("a", f"t{index % 3}"))
        comment_create(actor=patient, post=post, body="Nice")
    with django_assert_max_num_queries(4):
        small = api_client.get(BLOGS, {"page_size": 2})
    with django_assert_max_num_queries(4):
        large = api_client.get(BLOGS, {"page_size": 100})
    assert len(small.json()["results"]) == 2
    assert {row["comment_count"] for row in large.json()["results"]} == {1}


# --- comments -------------------------------------------------------------------------------


def test_signed_in_users_comment_and_anyone_reads(doctor, patient, api_client):
    post = publish(doctor)
    target = f"{BLOGS}{post.pk}/comments/"
    response = client_for(patient).post(target, {"body": "  Merci, très utile ! 🙏  "})
    assert response.status_code == 201
    assert response.json()["body"] == "Merci, très utile ! 🙏"
    assert [row["body"] for row in api_client.get(target).json()["results"]] == [
        "Merci, très utile ! 🙏"
    ]
    assert_error(api_client.post(target, {"body": "anon"}), 401)


@pytest.mark.parametrize("body", ["", "   ", "x" * 2001, "x" * 1_000_000])
def test_empty_or_huge_comments_are_refused(doctor, patient, body):
    post = publish(doctor)
    response = client_for(patient).post(
        f"{BLOGS}{post.pk}/comments/", {"body": body}, format="json"
    )
    assert response.status_code in (400, 413)
    assert set(response.json()) == {"error"}
    assert not Comment.objects.exists()


def test_no_comments_on_drafts(doctor, staff):
    post = draft(doctor)
    response = client_for(staff).post(f"{BLOGS}{post.pk}/comments/", {"body": "Early!"})
    assert_error(response, 400, "not_published")


def test_comments_are_throttled(doctor, patient, monkeypatch):
    from rest_framework.throttling import ScopedRateThrottle

    monkeypatch.setattr(ScopedRateThrottle, "THROTTLE_RATES", {"comments": "2/minute"})
    post = publish(doctor)
    client = client_for(patient)
    for _ in range(2):
        assert client.post(f"{BLOGS}{post.pk}/comments/", {"body": "hi"}).status_code == 201
    assert_error(client.post(f"{BLOGS}{post.pk}/comments/", {"body": "hi"}), 429, "throttled")
    assert client.get(f"{BLOGS}{post.pk}/comments/").status_code == 200  # reading is not limited


def test_author_and_staff_hide_and_unhide_comments(
    doctor, other_doctor, staff, patient, api_client
):
    post = publish(doctor)
    comment = comment_create(actor=patient, post=post, body="Buy cheap pills at spam.example")
    hide = f"{BLOGS}{post.pk}/comments/{comment.pk}/hide/"
    assert_error(client_for(patient).post(hide), 403)
    assert_error(client_for(other_doctor).post(hide), 403)
    assert client_for(doctor).post(hide).json()["is_hidden"] is True
    assert api_client.get(f"{BLOGS}{post.pk}/comments/").json()["results"] == []
    assert api_client.get(f"{BLOGS}{post.pk}/").json()["comment_count"] == 0
    moderated = client_for(doctor).get(f"{BLOGS}{post.pk}/comments/", {"include_hidden": "true"})
    assert len(moderated.json()["results"]) == 1
    outsider = client_for(patient).get(f"{BLOGS}{post.pk}/comments/", {"include_hidden": "true"})
    assert outsider.json()["results"] == []
    unhide = f"{BLOGS}{post.pk}/comments/{comment.pk}/unhide/"
    assert client_for(staff).post(unhide).json()["is_hidden"] is False
    assert_error(client_for(staff).post(f"{BLOGS}{post.pk}/comments/not-an-id/hide/"), 404)


def test_a_comment_of_another_post_answers_404(doctor, patient):
    post, other = publish(doctor, title="One"), publish(doctor, title="Two")
    comment = comment_create(actor=patient, post=other, body="hi")
    response = client_for(doctor).post(f"{BLOGS}{post.pk}/comments/{comment.pk}/hide/")
    assert_error(response, 404)


def test_a_slug_shaped_like_a_uuid_still_opens(doctor, api_client, client):
    post = publish(doctor, title="Understanding seasonal allergy in us")
    assert len(post.slug) == 36 and post.slug.count("-") == 4
    assert api_client.get(f"{BLOGS}{post.slug}/").json()["id"] == str(post.pk)
    assert api_client.get(f"{BLOGS}{post.pk}/").json()["slug"] == post.slug
    assert client.get(f"/blog/{post.slug}/").status_code == 200


@pytest.mark.parametrize("key", ["%00", "a%00b"])
def test_nul_bytes_in_a_slug_are_404(api_client, client, key):
    assert_error(api_client.get(f"{BLOGS}{key}/"), 404)
    assert_error(api_client.get(f"{BLOGS}{key}/comments/"), 404)
    assert client.get(f"/blog/{key}/").status_code == 404


def test_tags_are_matched_by_name_and_get_unique_slugs(doctor):
    first = publish(doctor, title="One", tags=("C",))
    second = publish(doctor, title="Two", tags=("C++", "HIV+", "HIV", "hiv", "!!!", "ﷺ" * 50))
    names = sorted(tag.name for tag in second.tags.all())
    assert names == sorted(["C++", "HIV+", "HIV", "!!!", "ﷺ" * 50])  # "hiv" is "HIV"
    slugs = [tag.slug for tag in second.tags.all()]
    assert len(set(slugs)) == len(slugs) and all(len(slug) <= 60 for slug in slugs)
    assert first.tags.get().slug not in {t.slug for t in second.tags.exclude(name="C")}


def test_at_most_twenty_tags(doctor):
    response = client_for(doctor).post(
        BLOGS, {"title": "T", "body": "x", "tags": [f"t{n}" for n in range(21)]}, format="json"
    )
    assert "tags" in assert_error(response, 400)["fields"]
