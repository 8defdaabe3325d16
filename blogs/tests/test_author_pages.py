"""A doctor's own blog pages: their posts, writing and editing, and moderating comments."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.utils.html import escape

from blogs.models import BlogPost, Comment
from blogs.services import comment_create, comment_set_hidden, post_create

pytestmark = pytest.mark.django_db

MINE = "/blog/mine/"
NEW = "/blog/mine/new/"
MODERATION = "/blog/moderation/"
T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def edit_url(post) -> str:
    return f"/blog/mine/{post.pk}/edit/"


def delete_url(post) -> str:
    return f"/blog/mine/{post.pk}/delete/"


def hidden_url(comment) -> str:
    return f"/blog/moderation/{comment.pk}/hidden/"


def post_form(**fields) -> dict:
    return {"title": "Sleep", "body": "Go to bed.", "tags": "", "status": "draft", **fields}


def field_errors(response, name) -> list[str]:
    return response.context["form"].errors.get(name, [])


@pytest.fixture
def published(doctor):
    return post_create(
        actor=doctor, title="Fever in children", body="Most **fevers** pass.", status="published"
    )


@pytest.fixture
def foreign(other_doctor):
    return post_create(
        actor=other_doctor, title="Someone else's post", body="Theirs.", status="published"
    )


@pytest.fixture
def comments(published, foreign, patient):
    mine = comment_create(actor=patient, post=published, body="Thanks, doctor!")
    theirs = comment_create(actor=patient, post=foreign, body="A comment elsewhere")
    return mine, theirs


# --- who may open these pages ---------------------------------------------------------------


def _urls(post, comment):
    return [
        ("get", MINE),
        ("get", NEW),
        ("post", NEW),
        ("get", edit_url(post)),
        ("post", edit_url(post)),
        ("get", delete_url(post)),
        ("post", delete_url(post)),
        ("get", MODERATION),
        ("post", hidden_url(comment)),
    ]


def test_anonymous_visitors_are_sent_to_sign_in(client, published, comments):
    for method, url in _urls(published, comments[0]):
        response = getattr(client, method)(url, post_form(hidden="1"))
        assert response.status_code == 302, url
        assert response["Location"].startswith("/accounts/login/?next="), url
    assert BlogPost.objects.count() == 2 and not Comment.objects.filter(is_hidden=True).exists()


@pytest.mark.parametrize("role", ["patient", "staff", "admin"])
def test_other_roles_get_404(client, published, comments, role, patient, staff, admin_user):
    client.force_login({"patient": patient, "staff": staff, "admin": admin_user}[role])
    for method, url in _urls(published, comments[0]):
        assert getattr(client, method)(url, post_form(hidden="1")).status_code == 404, url
    assert BlogPost.objects.count() == 2 and not Comment.objects.filter(is_hidden=True).exists()


def test_another_doctors_post_and_comments_are_404(client, doctor, foreign, comments):
    _, theirs = comments
    client.force_login(doctor)
    assert client.get(edit_url(foreign)).status_code == 404
    assert client.post(edit_url(foreign), post_form(title="Mine now")).status_code == 404
    assert client.get(delete_url(foreign)).status_code == 404
    assert client.post(delete_url(foreign)).status_code == 404
    assert client.post(hidden_url(theirs), {"hidden": "1"}).status_code == 404
    foreign.refresh_from_db()
    theirs.refresh_from_db()
    assert foreign.title == "Someone else's post" and not theirs.is_hidden
    assert "A comment elsewhere" not in client.get(MODERATION).content.decode()
    assert escape(foreign.title) not in client.get(MINE).content.decode()


def test_malformed_and_unknown_ids_are_404(client, doctor):
    client.force_login(doctor)
    for url in (
        "/blog/mine/not-a-uuid/edit/",
        "/blog/mine/00000000-0000-0000-0000-000000000000/edit/",
        "/blog/mine/00000000-0000-0000-0000-000000000000/delete/",
    ):
        assert client.get(url).status_code == 404, url
    assert client.post("/blog/moderation/123/hidden/", {"hidden": "1"}).status_code == 404
    assert (
        client.post(
            "/blog/moderation/00000000-0000-0000-0000-000000000000/hidden/", {"hidden": "1"}
        ).status_code
        == 404
    )


def test_the_public_blog_pages_still_answer_next_to_the_authors_pages(client, published):
    assert client.get("/blog/").status_code == 200
    assert client.get(f"/blog/{published.slug}/").status_code == 200
    assert client.get(MINE).status_code == 302  # not taken for a post called "mine"


# --- my posts -------------------------------------------------------------------------------


def test_my_posts_lists_drafts_and_published_newest_first(client, doctor, other_doctor):
    with time_machine.travel(T0, tick=False) as clock:
        old = post_create(actor=doctor, title="Old news", body="x", status="published")
        clock.shift(timedelta(days=1))
        draft = post_create(actor=doctor, title="Ça va — 发烧", body="y", tags=["kids"])
        clock.shift(timedelta(days=1))
        post_create(actor=other_doctor, title="Not mine", body="z")
    client.force_login(doctor)
    response = client.get(MINE)
    assert response.status_code == 200
    page = response.content.decode()
    assert page.index(escape(draft.title)) < page.index("Old news")
    assert "Not mine" not in page
    assert "Draft" in page and "Published" in page and "kids" in page
    assert f'href="{edit_url(draft)}"' in page and f'href="{edit_url(old)}"' in page
    assert f'href="/blog/{old.slug}/"' in page  # the public post, for published ones only
    assert f"/blog/{draft.slug}/" not in page


@pytest.mark.parametrize("rows", [2, 20])
def test_my_posts_takes_few_queries(client, doctor, patient, rows, django_assert_max_num_queries):
    for index in range(rows):
        post = post_create(
            actor=doctor,
            title=f"Post {index}",
            body="Body",
            tags=[f"tag{index}", "common"],
            status="published" if index % 2 else "draft",
        )
        if index % 2:
            comment_create(actor=patient, post=post, body="Nice")
    client.force_login(doctor)
    with django_assert_max_num_queries(8):
        response = client.get(MINE)
    assert response.status_code == 200
    assert response.content.decode().count('aria-label="Edit “Post') == rows


# --- writing --------------------------------------------------------------------------------


def test_writing_a_draft_with_unicode_and_tags(client, doctor):
    client.force_login(doctor)
    form_page = client.get(NEW)
    assert form_page.status_code == 200
    assert 'for="id_title"' in form_page.content.decode()
    response = client.post(
        NEW,
        post_form(
            title="Fièvre chez l\u2019enfant — 发烧",
            body="# Titre\n\nTexte.",
            tags="kids, Fièvre, ",
        ),
        follow=True,
    )
    post = BlogPost.objects.get()
    assert response.redirect_chain == [(edit_url(post), 302)]
    assert (post.author, post.status, post.published_at) == (doctor, "draft", None)
    assert post.title == "Fièvre chez l\u2019enfant — 发烧"
    assert sorted(tag.name for tag in post.tags.all()) == ["Fièvre", "kids"]
    page = response.content.decode()
    assert "saved as a draft" in page
    assert "<h1>Titre</h1>" in page  # the preview, rendered as the public page renders it
    assert 'value="Fièvre, kids"' in page


def test_publishing_makes_the_post_public(client, doctor):
    client.force_login(doctor)
    response = client.post(NEW, post_form(title="Hand washing", status="published"))
    post = BlogPost.objects.get()
    assert response.status_code == 302 and post.published_at is not None
    client.logout()
    assert "Hand washing" in client.get(f"/blog/{post.slug}/").content.decode()


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"title": ""}, "title", "cannot be empty"),
        ({"title": "   "}, "title", "cannot be empty"),
        ({"body": ""}, "body", "cannot be empty"),
        ({"title": "T" * 201}, "title", "At most 200"),
        ({"body": "b" * 100_001}, "body", "At most 100000"),
        ({"tags": ",".join(f"t{i}" for i in range(21))}, "tags", "At most 20 tags"),
        ({"tags": "x" * 51}, "tags", "at most 50 characters"),
        ({"status": "secret"}, "status", "valid choice"),
    ],
)
def test_bad_post_input_is_shown_next_to_its_field(client, doctor, fields, field, message):
    client.force_login(doctor)
    response = client.post(NEW, post_form(**fields))
    assert response.status_code == 400
    errors = field_errors(response, field)
    assert errors and message in " ".join(errors), response.context["form"].errors
    page = response.content.decode()
    if field != "body":
        assert "Go to bed." in page  # the text is never lost
    assert not BlogPost.objects.exists()


def test_preview_renders_sanitized_markdown_without_saving(client, doctor):
    client.force_login(doctor)
    body = "**Bold** <script>alert(1)</script> [x](javascript:alert(1))"
    response = client.post(NEW, post_form(body=body, preview="1"))
    assert response.status_code == 200
    assert not BlogPost.objects.exists()
    page = response.content.decode()
    assert "<strong>Bold</strong>" in page
    assert "<script>alert" not in page and 'href="javascript' not in page
    assert escape(body) in page  # still in the text box


def test_editing_a_post(client, doctor, published):
    client.force_login(doctor)
    page = client.get(edit_url(published)).content.decode()
    assert "Most <strong>fevers</strong> pass." in page  # the saved post as readers see it
    assert escape("Edit “Fever in children”") in page or "Edit “Fever in children”" in page
    response = client.post(
        edit_url(published),
        post_form(
            title="Fever in small children", body="Updated *text*", tags="kids", status="draft"
        ),
        follow=True,
    )
    assert response.redirect_chain == [(edit_url(published), 302)]
    published.refresh_from_db()
    assert published.title == "Fever in small children" and published.status == "draft"
    assert published.slug == "fever-in-children"  # links keep working
    assert "<em>text</em>" in response.content.decode()
    assert client.get(f"/blog/{published.slug}/").status_code == 200  # the author's draft
    client.logout()
    assert client.get(f"/blog/{published.slug}/").status_code == 404


def test_a_failed_edit_keeps_the_post_and_the_input(client, doctor, published):
    client.force_login(doctor)
    response = client.post(edit_url(published), post_form(title="", body="New words"))
    assert response.status_code == 400
    assert field_errors(response, "title")
    page = response.content.decode()
    assert "New words" in page and "Edit “Fever in children”" in page
    published.refresh_from_db()
    assert published.title == "Fever in children" and published.body == "Most **fevers** pass."


def test_preview_while_editing_does_not_save(client, doctor, published):
    client.force_login(doctor)
    response = client.post(
        edit_url(published), post_form(title="New", body="_Draft words_", preview="1")
    )
    assert response.status_code == 200
    assert "<em>Draft words</em>" in response.content.decode()
    published.refresh_from_db()
    assert published.title == "Fever in children"


def test_deleting_a_post_asks_first(client, doctor, published, comments):
    client.force_login(doctor)
    confirm = client.get(delete_url(published))
    assert confirm.status_code == 200 and "Delete the post" in confirm.content.decode()
    assert BlogPost.objects.filter(pk=published.pk).exists()
    response = client.post(delete_url(published), follow=True)
    assert response.redirect_chain == [(MINE, 302)]
    assert not BlogPost.objects.filter(pk=published.pk).exists()
    assert "is deleted" in response.content.decode()


# --- moderation -----------------------------------------------------------------------------


def test_moderation_lists_comments_on_my_posts_newest_first(
    client, doctor, published, foreign, patient, other_patient
):
    with time_machine.travel(T0, tick=False) as clock:
        first = comment_create(actor=patient, post=published, body="First comment")
        clock.shift(timedelta(hours=1))
        spam = comment_create(actor=other_patient, post=published, body="Buy <b>pills</b>")
        clock.shift(timedelta(hours=1))
        comment_create(actor=patient, post=foreign, body="On another post")
    comment_set_hidden(actor=doctor, comment=spam, hidden=True)
    client.force_login(doctor)
    response = client.get(MODERATION)
    assert response.status_code == 200
    assert [c.pk for c in response.context["page"]] == [spam.pk, first.pk]
    page = response.content.decode()
    assert "Buy &lt;b&gt;pills&lt;/b&gt;" in page
    assert "On another post" not in page
    assert "Hidden" in page and "Show again" in page and ">Hide</button>" in page
    assert f'href="/blog/{published.slug}/"' in page


def test_hiding_and_showing_a_comment(client, doctor, published, comments, patient):
    mine, _ = comments
    client.force_login(doctor)
    response = client.post(hidden_url(mine), {"hidden": "1", "page": "1"}, follow=True)
    assert response.redirect_chain == [(f"{MODERATION}?page=1", 302)]
    mine.refresh_from_db()
    assert mine.is_hidden and mine.hidden_by == doctor
    assert "is hidden" in response.content.decode()
    assert "Thanks, doctor!" not in client.get(f"/blog/{published.slug}/").content.decode()

    response = client.post(hidden_url(mine), {"hidden": "0", "page": "2;drop"}, follow=True)
    assert response.redirect_chain == [(MODERATION, 302)]
    mine.refresh_from_db()
    assert not mine.is_hidden and mine.hidden_by is None
    assert "Thanks, doctor!" in client.get(f"/blog/{published.slug}/").content.decode()


def test_hiding_with_htmx_answers_the_row_alone(client, doctor, comments):
    mine, _ = comments
    client.force_login(doctor)
    response = client.post(hidden_url(mine), {"hidden": "1"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    row = response.content.decode()
    assert row.strip().startswith(f'<li id="comment-{mine.pk}">')
    assert "Show again" in row and "<html" not in row
    mine.refresh_from_db()
    assert mine.is_hidden


@pytest.mark.parametrize("value", ["", "2", "yes", "1" * 100])
def test_a_bad_hidden_value_is_refused_without_change(client, doctor, comments, value):
    mine, _ = comments
    client.force_login(doctor)
    response = client.post(hidden_url(mine), {"hidden": value})
    assert response.status_code == 400
    assert "Choose whether to hide the comment or show it." in response.content.decode()
    mine.refresh_from_db()
    assert not mine.is_hidden


def test_setting_hidden_takes_a_post(client, doctor, comments):
    client.force_login(doctor)
    assert client.get(hidden_url(comments[0])).status_code == 405


def test_moderation_is_paginated(client, doctor, published, patient):
    for index in range(25):
        comment_create(actor=patient, post=published, body=f"Comment {index}")
    client.force_login(doctor)
    first = client.get(MODERATION)
    assert len(first.context["page"].object_list) == 20
    assert "Page 1 of 2" in first.content.decode()
    second = client.get(MODERATION, {"page": "2"})
    assert len(second.context["page"].object_list) == 5
    assert client.get(MODERATION, {"page": "abc"}).status_code == 200


@pytest.mark.parametrize("rows", [2, 20])
def test_moderation_takes_few_queries(
    client, doctor, patient, other_patient, rows, django_assert_max_num_queries
):
    posts = [
        post_create(actor=doctor, title=f"Post {index}", body="Body", status="published")
        for index in range(3)
    ]
    for index in range(rows):
        author = patient if index % 2 else other_patient
        comment = comment_create(actor=author, post=posts[index % 3], body=f"Comment {index}")
        if index % 3 == 0:
            comment_set_hidden(actor=doctor, comment=comment, hidden=True)
    client.force_login(doctor)
    with django_assert_max_num_queries(8):
        response = client.get(MODERATION)
    assert response.status_code == 200
    assert len(response.context["page"].object_list) == rows
