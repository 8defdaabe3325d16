from django import forms

from blogs.models import BlogPost, PostStatus


class CommentForm(forms.Form):
    body = forms.CharField(
        label="Your comment",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": 2000}),
    )


class SearchForm(forms.Form):
    q = forms.CharField(required=False, max_length=200, label="Search")
    tag = forms.SlugField(required=False, allow_unicode=True, max_length=60)


class PostForm(forms.Form):
    """A post as its author writes it. The form only reads the input; the service checks it
    (empty, too long, too many tags) and its errors land next to these fields."""

    title = forms.CharField(label="Title", required=False)
    body = forms.CharField(
        label="Text",
        required=False,
        widget=forms.Textarea(attrs={"rows": 16}),
        help_text="Markdown: **bold**, *italic*, # headings, - lists, [links](https://…), tables.",
    )
    tags = forms.CharField(
        label="Tags",
        required=False,
        help_text="Separated by commas, e.g. heart, blood pressure.",
    )
    status = forms.ChoiceField(label="Status", choices=PostStatus.choices, initial=PostStatus.DRAFT)

    @classmethod
    def initial_from(cls, post: BlogPost) -> dict:
        return {
            "title": post.title,
            "body": post.body,
            "tags": ", ".join(tag.name for tag in post.tags.all()),
            "status": post.status,
        }

    def clean_tags(self) -> list[str]:
        return [name.strip() for name in self.cleaned_data["tags"].split(",") if name.strip()]


class HiddenForm(forms.Form):
    """Hide (1) or show again (0) a comment."""

    hidden = forms.TypedChoiceField(
        choices=[("1", "Hide"), ("0", "Show")], coerce=lambda value: value == "1"
    )
