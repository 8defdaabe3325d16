import pytest

from blogs.models import BlogPost, Comment, PostStatus
from blogs.services import comment_create, post_create

pytestmark = pytest.mark.django_db


def test_admin_bulk_hides_and_unhides_comments(client, staff, doctor, patient):
    post = post_create(actor=doctor, title="Hello", body="x", status=PostStatus.PUBLISHED)
    comments = [comment_create(actor=patient, post=post, body=f"spam {n}") for n in range(3)]
    client.force_login(staff)
    selected = [str(comment.pk) for comment in comments[:2]]
    response = client.post(
        "/admin/blogs/comment/", {"action": "hide_selected", "_selected_action": selected}
    )
    assert response.status_code == 302
    assert Comment.objects.filter(is_hidden=True).count() == 2
    assert Comment.objects.get(pk=comments[0].pk).hidden_by == staff
    client.post(
        "/admin/blogs/comment/", {"action": "unhide_selected", "_selected_action": selected}
    )
    assert not Comment.objects.filter(is_hidden=True).exists()


def test_admin_writes_posts_through_the_service(client, staff):
    client.force_login(staff)
    response = client.post(
        "/admin/blogs/blogpost/add/",
        {
            "title": "Flu season",
            "body": "<script>x</script> **Get vaccinated.**",
            "status": "published",
        },
    )
    assert response.status_code == 302, response.content[:2000]
    post = BlogPost.objects.get()
    assert post.slug == "flu-season" and post.published_at is not None
    assert "<script" not in post.body_html and "<strong>" in post.body_html
