import django_filters

from blogs.models import BlogPost
from blogs.selectors import post_search
from core.filters import LocalDateFilter


class PostFilter(django_filters.FilterSet):
    tag = django_filters.CharFilter(field_name="tags__slug", distinct=True)
    author = django_filters.UUIDFilter(field_name="author_id")
    published_after = LocalDateFilter(field_name="published_at", bound="first")
    published_before = LocalDateFilter(field_name="published_at", bound="last")
    status = django_filters.ChoiceFilter(choices=BlogPost._meta.get_field("status").choices)
    search = django_filters.CharFilter(method="filter_search", max_length=200, label="Words")

    def filter_search(self, queryset, name, value):
        return post_search(queryset, value)

    class Meta:
        model = BlogPost
        fields: list[str] = []
