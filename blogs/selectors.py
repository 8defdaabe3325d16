import uuid

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection
from django.db.models import Case, Count, F, IntegerField, Q, QuerySet, Value, When

from blogs.models import BlogPost, Comment, PostStatus
from blogs.permissions import can_moderate_comments
from core.lookups import get_visible_or_404
from users.roles import is_clinic_staff

SEARCH_CONFIG = "english"


def post_list(*, actor) -> QuerySet[BlogPost]:
    """Published posts for everyone; an author also sees their drafts; staff see every draft."""
    posts = BlogPost.objects.select_related("author").prefetch_related("tags")
    posts = posts.annotate(
        comment_count=Count("comments", filter=Q(comments__is_hidden=False), distinct=True)
    )
    visible = Q(status=PostStatus.PUBLISHED)
    if is_clinic_staff(actor):
        visible = Q()
    elif actor is not None and actor.is_authenticated:
        visible |= Q(author=actor)
    return posts.filter(visible).order_by(F("published_at").desc(nulls_first=True), "-created_at")


def post_published_list() -> QuerySet[BlogPost]:
    """What the public pages and the feed show, whoever asks."""
    return post_list(actor=None)


def post_get(*, actor, key: str) -> BlogPost:
    """A visible post by id or by slug; a draft of someone else answers 404."""
    posts = post_list(actor=actor)
    try:
        as_id = uuid.UUID(key)
    except ValueError:
        return get_visible_or_404(posts, "No such post.", slug=key)
    found = get_visible_or_404(posts.filter(Q(slug=key) | Q(pk=as_id)), "No such post.")
    return found


def post_search(posts: QuerySet[BlogPost], text: str) -> QuerySet[BlogPost]:
    """Ranked full text on PostgreSQL (title above body); a plain fallback elsewhere."""
    text = text.strip()
    if not text:
        return posts
    if connection.vendor == "postgresql":
        query = SearchQuery(text, search_type="websearch", config=SEARCH_CONFIG)
        return (
            posts.filter(search_vector=query)
            .annotate(rank=SearchRank(F("search_vector"), query))
            .order_by("-rank", F("published_at").desc(nulls_first=True))
        )
    words = text.split()
    matches = Q()
    for word in words:
        matches &= Q(title__icontains=word) | Q(body__icontains=word)
    title_hits = Case(
        *[When(title__icontains=word, then=Value(1)) for word in words],
        default=Value(0),
        output_field=IntegerField(),
    )
    return (
        posts.filter(matches)
        .annotate(title_hit=title_hits)
        .order_by("-title_hit", F("published_at").desc(nulls_first=True))
    )


def comment_list(*, actor, post: BlogPost, include_hidden: bool = False) -> QuerySet[Comment]:
    comments = Comment.objects.filter(post=post).select_related("author").order_by("created_at")
    if include_hidden and can_moderate_comments(actor, post):
        return comments
    return comments.filter(is_hidden=False)


def comment_get(*, post: BlogPost, comment_id) -> Comment:
    return get_visible_or_404(
        Comment.objects.filter(post=post).select_related("author"),
        "No such comment.",
        pk=comment_id,
    )


def comment_moderation_list(*, actor) -> QuerySet[Comment]:
    """The comments an author moderates: those on their own posts (a post's author moderates
    its comments), newest first, hidden ones included."""
    return (
        Comment.objects.filter(post__author=actor)
        .select_related("post", "author")
        .defer("post__body", "post__body_html", "post__search_vector")
        .order_by("-created_at", "-id")
    )
