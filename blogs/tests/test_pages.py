import xml.etree.ElementTree as ET

import pytest

from blogs.models import Comment, PostStatus
from blogs.services import comment_create, comment_set_hidden, post_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def posts(doctor):
    public = post_create(
        actor=doctor,
        title="Fever in children",
        body="Most fevers pass.",
        tags=["kids"],
        status=PostStatus.PUBLISHED,
    )
    secret = post_create(actor=doctor, title="Draft about fever", body="Not yet.")
    return public, secret


def test_blog_list_search_and_tag_pages(client, posts):
    public, secret = posts
    page = client.get("/blog/").content.decode()
    assert public.title in page and secret.title not in page
    assert public.title in client.get("/blog/", {"q": "fever"}).content.decode()
    assert secret.title not in client.get("/blog/", {"q": "draft fever"}).content.decode()
    assert public.title in client.get("/blog/", {"tag": "kids"}).content.decode()
    assert public.title not in client.get("/blog/", {"tag": "other"}).content.decode()
    assert client.get("/blog/", {"page": "999"}).status_code == 200


def test_post_page_shows_visible_comments_and_a_form_for_signed_in_users(
    client, posts, patient, doctor
):
    public, _ = posts
    shown = comment_create(actor=patient, post=public, body="Thanks <b>doc</b>")
    hidden = comment_create(actor=patient, post=public, body="spam spam")
    comment_set_hidden(actor=doctor, comment=hidden, hidden=True)
    page = client.get(f"/blog/{public.slug}/").content.decode()
    assert "Thanks &lt;b&gt;doc&lt;/b&gt;" in page
    assert "spam spam" not in page
    assert "Sign in</a> to comment" in page and "<textarea" not in page

    client.force_login(patient)
    assert "<textarea" in client.get(f"/blog/{public.slug}/").content.decode()
    response = client.post(f"/blog/{public.slug}/", {"body": "Very clear, thank you."})
    assert response.status_code == 302
    assert Comment.objects.filter(body="Very clear, thank you.").exists()
    empty = client.post(f"/blog/{public.slug}/", {"body": "   "})
    assert empty.status_code == 200 and b"required" in empty.content
    assert shown.pk


def test_anonymous_comment_post_redirects_to_sign_in(client, posts):
    public, _ = posts
    response = client.post(f"/blog/{public.slug}/", {"body": "hi"})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert not Comment.objects.exists()


def test_drafts_and_unknown_slugs_are_404_pages(client, posts, other_doctor):
    _, secret = posts
    assert client.get(f"/blog/{secret.slug}/").status_code == 404
    client.force_login(other_doctor)
    assert client.get(f"/blog/{secret.slug}/").status_code == 404
    assert client.get("/blog/no-such-post/").status_code == 404


def test_author_previews_their_draft(client, posts, doctor):
    _, secret = posts
    client.force_login(doctor)
    page = client.get(f"/blog/{secret.slug}/").content.decode()
    assert "Draft" in page and "<textarea" not in page


def test_atom_feed_lists_published_posts_only(client, posts):
    public, _draft = posts
    response = client.get("/blog/feed/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)
    ns = {"a": "http://www.w3.org/2005/Atom"}
    titles = [entry.find("a:title", ns).text for entry in root.findall("a:entry", ns)]
    assert titles == [public.title]


def test_blog_list_page_queries_stay_constant(client, doctor, django_assert_max_num_queries):
    for index in range(15):
        post_create(
            actor=doctor, title=f"Post {index}", body="x", tags=["t"], status=PostStatus.PUBLISHED
        )
    with django_assert_max_num_queries(8):
        response = client.get("/blog/")
    assert response.status_code == 200
