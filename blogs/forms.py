from django import forms


class CommentForm(forms.Form):
    body = forms.CharField(
        label="Your comment",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": 2000}),
    )


class SearchForm(forms.Form):
    q = forms.CharField(required=False, max_length=200, label="Search")
    tag = forms.SlugField(required=False, allow_unicode=True, max_length=60)
