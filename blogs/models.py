from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Q

from core.models import BaseModel
from users.models import User


class Tag(BaseModel):
    name = models.CharField(max_length=50, unique=True)
    slug = models.SlugField(max_length=60, unique=True, allow_unicode=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class PostStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"


class BlogPost(BaseModel):
    author = models.ForeignKey(User, on_delete=models.PROTECT, related_name="blog_posts")
    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=220, unique=True, allow_unicode=True)
    body = models.TextField(max_length=100_000, help_text="Markdown")
    body_html = models.TextField(editable=False, help_text="Rendered and sanitized")
    status = models.CharField(max_length=16, choices=PostStatus.choices, default=PostStatus.DRAFT)
    published_at = models.DateTimeField(null=True, blank=True, db_index=True)
    tags = models.ManyToManyField(Tag, related_name="posts", blank=True)
    # Kept current by blogs.services on PostgreSQL (GIN-indexed); unused on SQLite.
    search_vector = SearchVectorField(null=True, editable=False)

    class Meta:
        ordering = ["-published_at", "-created_at"]
        indexes = [models.Index(fields=["status", "-published_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="draft") | Q(published_at__isnull=False),
                name="blogs_post_published_has_date",
            )
        ]

    def __str__(self) -> str:
        return self.title


class Comment(BaseModel):
    post = models.ForeignKey(BlogPost, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(User, on_delete=models.PROTECT, related_name="blog_comments")
    body = models.TextField(max_length=5000)
    is_hidden = models.BooleanField(default=False)
    hidden_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    hidden_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at"]
        indexes = [models.Index(fields=["post", "is_hidden", "created_at"])]

    def __str__(self) -> str:
        return f"{self.author} on {self.post}"
