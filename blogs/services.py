"""Every write to posts and comments."""

from collections.abc import Iterable
from typing import Any

from django.contrib.postgres.search import SearchVector
from django.db import connection, transaction
from django.utils import timezone
from django.utils.text import slugify

from blogs.models import BlogPost, Comment, PostStatus, Tag
from blogs.permissions import can_edit_post, can_moderate_comments, can_write_posts
from blogs.selectors import SEARCH_CONFIG
from core.exceptions import NotAllowed, ValidationFailed
from core.markdown import render_markdown
from users.models import User

TITLE_MAX = 200
COMMENT_MAX = 2000
POST_FIELDS = {"title", "body", "status", "tags"}


def _fail(field: str, message: str, code: str = "validation_error") -> ValidationFailed:
    return ValidationFailed(message, code=code, fields={field: [message]})


# Words the blog's own pages use in their paths (/blog/feed/, /blog/mine/, ...): no post takes one.
RESERVED_SLUGS = frozenset({"feed", "mine", "moderation"})


def _unique_slug(title: str) -> str:
    base = slugify(title, allow_unicode=True)[:200] or "post"
    taken = set(BlogPost.objects.filter(slug__startswith=base).values_list("slug", flat=True))
    taken |= RESERVED_SLUGS
    slug, number = base, 2
    while slug in taken:
        slug, number = f"{base}-{number}", number + 1
    return slug


MAX_TAGS = 20


def _tags(names: Iterable[str]) -> list[Tag]:
    """Tags by name, without regard to case; a new tag gets a unique slug for its page."""
    names = [name for name in dict.fromkeys(name.strip() for name in names) if name]
    if len(names) > MAX_TAGS:
        raise _fail("tags", f"At most {MAX_TAGS} tags, please.")
    tags = []
    for name in names:
        if len(name) > 50:
            raise _fail("tags", "A tag has at most 50 characters.")
        tag = Tag.objects.filter(name__iexact=name).first()
        if tag is None:
            base = slugify(name, allow_unicode=True)[:50] or "tag"
            slug, number = base, 2
            while Tag.objects.filter(slug=slug).exists():
                slug, number = f"{base}-{number}", number + 1
            tag = Tag.objects.create(name=name, slug=slug)
        tags.append(tag)
    return tags


def _check_text(field: str, value: str, limit: int) -> str:
    value = value.strip()
    if not value:
        raise _fail(field, "This cannot be empty.", "empty")
    if len(value) > limit:
        raise _fail(field, f"At most {limit} characters, please.", "too_long")
    return value


def _index_for_search(post: BlogPost) -> None:
    if connection.vendor == "postgresql":
        BlogPost.objects.filter(pk=post.pk).update(
            search_vector=SearchVector("title", weight="A", config=SEARCH_CONFIG)
            + SearchVector("body", weight="B", config=SEARCH_CONFIG)
        )


def _apply_status(post: BlogPost, status: str) -> None:
    if status not in PostStatus.values:
        raise _fail("status", f"Unknown status: {status}.")
    if status == PostStatus.PUBLISHED and post.status != PostStatus.PUBLISHED:
        post.published_at = timezone.now()
    if status == PostStatus.DRAFT:
        post.published_at = None
    post.status = status


def post_create(
    *,
    actor: User,
    title: str,
    body: str,
    tags: Iterable[str] = (),
    status: str = PostStatus.DRAFT,
) -> BlogPost:
    if not can_write_posts(actor):
        raise NotAllowed("Only doctors and clinic staff write posts.")
    title = _check_text("title", title, TITLE_MAX)
    body = _check_text("body", body, 100_000)
    with transaction.atomic():
        post = BlogPost(author=actor, title=title, body=body, body_html=render_markdown(body))
        post.slug = _unique_slug(title)
        _apply_status(post, status)
        post.save()
        post.tags.set(_tags(tags))
        _index_for_search(post)
    return post


def post_update(*, actor: User, post: BlogPost, data: dict[str, Any]) -> BlogPost:
    """Change a post. Its slug stays, so that links to it keep working."""
    if not can_edit_post(actor, post):
        raise NotAllowed("Only the author or clinic staff change this post.")
    unknown = set(data) - POST_FIELDS
    if unknown:
        raise ValidationFailed(f"Unknown fields: {', '.join(sorted(unknown))}.")
    with transaction.atomic():
        if "title" in data:
            post.title = _check_text("title", data["title"], TITLE_MAX)
        if "body" in data:
            post.body = _check_text("body", data["body"], 100_000)
            post.body_html = render_markdown(post.body)
        if "status" in data:
            _apply_status(post, data["status"])
        post.save()
        if "tags" in data:
            post.tags.set(_tags(data["tags"]))
        _index_for_search(post)
    return post


def post_delete(*, actor: User, post: BlogPost) -> None:
    if not can_edit_post(actor, post):
        raise NotAllowed("Only the author or clinic staff delete this post.")
    post.delete()


def comment_create(*, actor: User, post: BlogPost, body: str) -> Comment:
    if actor is None or not actor.is_authenticated:
        raise NotAllowed("Sign in to comment.")
    if post.status != PostStatus.PUBLISHED:
        raise ValidationFailed("Comments open when the post is published.", code="not_published")
    body = _check_text("body", body, COMMENT_MAX)
    return Comment.objects.create(post=post, author=actor, body=body)


def comment_set_hidden(*, actor: User, comment: Comment, hidden: bool) -> Comment:
    if not can_moderate_comments(actor, comment.post):
        raise NotAllowed("Only clinic staff and the post's author moderate comments.")
    comment.is_hidden = hidden
    comment.hidden_by = actor if hidden else None
    comment.hidden_at = timezone.now() if hidden else None
    comment.save(update_fields=["is_hidden", "hidden_by", "hidden_at", "updated_at"])
    return comment
