from django.contrib import messages
from django.contrib.syndication.views import Feed
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from blogs import selectors, services
from blogs.forms import CommentForm, SearchForm
from blogs.models import BlogPost, Tag
from core.admin_tools import add_service_errors
from core.exceptions import NotFound, ServiceError

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
