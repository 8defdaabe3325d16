from django import forms
from django.contrib import admin, messages

from blogs import services
from blogs.models import BlogPost, Comment, Tag
from core.exceptions import ServiceError


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]


class PostForm(forms.ModelForm):
    class Meta:
        model = BlogPost
        fields = ["title", "body", "status", "tags"]


@admin.register(BlogPost)
class BlogPostAdmin(admin.ModelAdmin):
    """Posts are written through blogs.services, which renders, sanitizes and indexes them."""

    form = PostForm
    list_display = ["title", "author", "status", "published_at"]
    list_filter = ["status", "tags"]
    search_fields = ["title", "body", "author__full_name"]
    list_select_related = ["author"]
    filter_horizontal = ["tags"]
    readonly_fields = ["slug", "author", "published_at"]

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        tags = [tag.name for tag in data.get("tags", [])]
        if change:
            fresh = BlogPost.objects.get(pk=obj.pk)
            changed = {name: data[name] for name in form.changed_data if name != "tags"}
            changed["tags"] = tags
            saved = services.post_update(actor=request.user, post=fresh, data=changed)
        else:
            saved = services.post_create(
                actor=request.user,
                title=data["title"],
                body=data["body"],
                status=data["status"],
                tags=tags,
            )
        obj.pk, obj._state.adding = saved.pk, False

    def save_related(self, request, form, formsets, change):
        pass  # tags were set by the service


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = ["post", "author", "short_body", "is_hidden", "created_at"]
    list_filter = ["is_hidden"]
    search_fields = ["body", "author__email", "post__title"]
    list_select_related = ["post", "author"]
    readonly_fields = ["post", "author", "body", "is_hidden", "hidden_by", "hidden_at"]
    actions = ["hide_selected", "unhide_selected"]

    @admin.display(description="Comment")
    def short_body(self, comment: Comment) -> str:
        return comment.body[:80]

    def has_add_permission(self, request) -> bool:
        return False

    @admin.action(description="Hide the selected comments")
    def hide_selected(self, request, queryset):
        self._set_hidden(request, queryset, hidden=True)

    @admin.action(description="Show the selected comments again")
    def unhide_selected(self, request, queryset):
        self._set_hidden(request, queryset, hidden=False)

    def _set_hidden(self, request, queryset, *, hidden: bool) -> None:
        done = 0
        for comment in queryset.select_related("post"):
            try:
                services.comment_set_hidden(actor=request.user, comment=comment, hidden=hidden)
                done += 1
            except ServiceError as exc:
                self.message_user(request, exc.message, level=messages.ERROR)
        self.message_user(request, f"{done} comment(s) {'hidden' if hidden else 'shown'}.")
