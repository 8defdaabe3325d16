import re
import uuid

from django.contrib import messages
from django.contrib.syndication.views import Feed
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.views.decorators.http import require_http_methods, require_POST

from blogs import selectors, services
from blogs.forms import CommentForm, HiddenForm, PostForm, SearchForm
from blogs.models import BlogPost, Comment, PostStatus, Tag
from core.admin_tools import add_service_errors
from core.exceptions import NotFound, ServiceError
from core.markdown import render_markdown
from core.pages import add_service_error
from users.pages import doctor_required

PAGE_SIZE = 10


def post_list_page(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET or None)
    posts = selectors.post_published_list()
    query = tag = ""
    if form.is_valid():
        query, tag = form.cleaned_data["q"], form.cleaned_data["tag"]
        if tag:
            posts = posts.filter(tags__slug=tag)
        posts = selectors.post_search(posts, query)
    page = Paginator(posts, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "blogs/post_list.html",
        {
            "page": page,
            "form": form,
            "query": query,
            "tag": tag,
            "tags": Tag.objects.filter(posts__status="published").distinct().order_by("name"),
        },
    )


def post_detail_page(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        post = selectors.post_get(actor=request.user, key=slug)
    except NotFound:
        raise Http404("No such post.") from None
    form = CommentForm(request.POST or None)
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect(f"{reverse('login')}?next={request.path}")
        if form.is_valid():
            try:
                services.comment_create(
                    actor=request.user, post=post, body=form.cleaned_data["body"]
                )
            except ServiceError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, "Thank you, your comment is published.")
                return redirect("blog-post", slug=post.slug)
    comments = selectors.comment_list(actor=request.user, post=post)
    return render(
        request, "blogs/post_detail.html", {"post": post, "comments": comments, "form": form}
    )


class LatestPostsFeed(Feed):
    feed_type = Atom1Feed
    title = "Clinic blog"
    subtitle = "Health articles from our doctors."

    def link(self) -> str:
        return reverse("blog-list")

    def items(self):
        return selectors.post_published_list()[:20]

    def item_title(self, item: BlogPost) -> str:
        return item.title

    def item_description(self, item: BlogPost) -> str:
        return item.body_html

    def item_link(self, item: BlogPost) -> str:
        return reverse("blog-post", kwargs={"slug": item.slug})

    def item_pubdate(self, item: BlogPost):
        return item.published_at

    def item_updateddate(self, item: BlogPost):
        return item.updated_at

    def item_author_name(self, item: BlogPost) -> str:
        return item.author.full_name


# --- the author's pages: their own posts, and the comments on them ---------------------------

MINE_PAGE_SIZE = 20
MODERATION_PAGE_SIZE = 20


def _own_posts(request: HttpRequest) -> QuerySet[BlogPost]:
    """The signed-in author's posts, drafts and published, newest first."""
    return (
        selectors.post_list(actor=request.user)
        .filter(author=request.user)
        .order_by("-created_at", "-id")
    )


def _own_post(request: HttpRequest, post_id: uuid.UUID) -> BlogPost:
    """One of the author's posts; anyone else's answers 404, published or not."""
    return get_object_or_404(_own_posts(request), pk=post_id)


def _moderated_comments(request: HttpRequest) -> QuerySet[Comment]:
    """The comments the signed-in doctor moderates: those on their own posts (blogs.permissions:
    a post's author moderates its comments), newest first, hidden ones included."""
    return selectors.comment_moderation_list(actor=request.user)


@doctor_required
def post_drafts_page(request: HttpRequest) -> HttpResponse:
    page = Paginator(_own_posts(request), MINE_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "blogs/author/post_mine.html", {"page": page})


def _saved_message(post: BlogPost) -> str:
    if post.status == PostStatus.PUBLISHED:
        return f"“{post.title}” is saved and published."
    return f"“{post.title}” is saved as a draft: only you can read it."


def _post_form_page(request: HttpRequest, post: BlogPost | None) -> HttpResponse:
    """The new-post and edit pages: save through the services, or preview without saving."""
    preview = post.body_html if post is not None else None  # what the public page shows
    heading = post.title if post is not None else ""
    status = 200
    if request.method == "POST":
        form = PostForm(request.POST)
        if not form.is_valid():
            status = 400
        elif "preview" in request.POST:
            preview = render_markdown(form.cleaned_data["body"])
        else:
            try:
                if post is None:
                    post = services.post_create(actor=request.user, **form.cleaned_data)
                else:
                    post = services.post_update(
                        actor=request.user, post=post, data=form.cleaned_data
                    )
            except ServiceError as exc:
                add_service_error(form, exc)
                status = 400
            else:
                messages.success(request, _saved_message(post))
                return redirect("blog-post-edit", post_id=post.pk)
    else:
        form = PostForm(initial=PostForm.initial_from(post) if post is not None else None)
    return render(
        request,
        "blogs/author/post_form.html",
        {"form": form, "post": post, "heading": heading, "preview": preview},
        status=status,
    )


@doctor_required
@require_http_methods(["GET", "POST"])
def post_new_page(request: HttpRequest) -> HttpResponse:
    return _post_form_page(request, None)


@doctor_required
@require_http_methods(["GET", "POST"])
def post_edit_page(request: HttpRequest, post_id: uuid.UUID) -> HttpResponse:
    return _post_form_page(request, _own_post(request, post_id))


@doctor_required
@require_http_methods(["GET", "POST"])
def post_delete_page(request: HttpRequest, post_id: uuid.UUID) -> HttpResponse:
    """GET asks for confirmation; POST deletes, as the API's DELETE does."""
    post = _own_post(request, post_id)
    if request.method == "POST":
        try:
            services.post_delete(actor=request.user, post=post)
        except ServiceError as exc:
            messages.error(request, exc.message)
            return redirect("blog-post-edit", post_id=post.pk)
        messages.success(request, f"“{post.title}” is deleted.")
        return redirect("blog-drafts")
    return render(request, "blogs/author/post_delete.html", {"post": post})


def _moderation_page(
    request: HttpRequest, *, error: str | None = None, status: int = 200
) -> HttpResponse:
    page = Paginator(_moderated_comments(request), MODERATION_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request, "blogs/author/moderation.html", {"page": page, "error": error}, status=status
    )


@doctor_required
def comment_moderation_page(request: HttpRequest) -> HttpResponse:
    return _moderation_page(request)


@doctor_required
@require_POST
def comment_set_hidden_page(request: HttpRequest, comment_id: uuid.UUID) -> HttpResponse:
    comment = get_object_or_404(_moderated_comments(request), pk=comment_id)
    form = HiddenForm(request.POST)
    if not form.is_valid():
        return _moderation_page(
            request, error="Choose whether to hide the comment or show it.", status=400
        )
    hidden = form.cleaned_data["hidden"]
    page = request.POST.get("page", "")
    page = page if re.fullmatch(r"[0-9]{1,6}", page) else ""
    try:
        comment = services.comment_set_hidden(actor=request.user, comment=comment, hidden=hidden)
    except ServiceError as exc:
        if request.htmx:
            return HttpResponse(exc.message, status=exc.status_code)
        messages.error(request, exc.message)
    else:
        if request.htmx:  # the row alone, in place
            return render(
                request,
                "blogs/author/_moderated_comment.html",
                {"comment": comment, "page_number": page},
            )
        if hidden:
            messages.success(request, "The comment is hidden: readers no longer see it.")
        else:
            messages.success(request, "The comment is shown again.")
    target = reverse("comment-moderation")
    return redirect(f"{target}?page={page}" if page else target)
