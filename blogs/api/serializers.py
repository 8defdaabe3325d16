from rest_framework import serializers

from blogs.models import BlogPost, Comment, PostStatus


class PostSerializer(serializers.ModelSerializer):
    # Slugs keep the title's own letters (any script); a pattern with \w would be ASCII-only
    # in JSON Schema's (ECMA-262) regex dialect, so none is given.
    slug = serializers.CharField(
        read_only=True, help_text="The post's address: letters of any script, digits, - and _."
    )
    author = serializers.UUIDField(source="author_id", read_only=True)
    author_name = serializers.CharField(source="author.full_name", read_only=True)
    tags = serializers.SlugRelatedField(slug_field="name", many=True, read_only=True)
    comment_count = serializers.IntegerField(read_only=True, default=0)

    class Meta:
        model = BlogPost
        fields = [
            "id",
            "slug",
            "title",
            "body",
            "body_html",
            "status",
            "published_at",
            "tags",
            "author",
            "author_name",
            "comment_count",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class PostWriteSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    body = serializers.CharField(max_length=100_000, help_text="Markdown")
    status = serializers.ChoiceField(choices=PostStatus.choices, default=PostStatus.DRAFT)
    tags = serializers.ListField(
        child=serializers.CharField(), required=False, default=list, help_text="Up to 20 names"
    )


class CommentSerializer(serializers.ModelSerializer):
    author_name = serializers.CharField(source="author.full_name", read_only=True)

    class Meta:
        model = Comment
        fields = ["id", "author_name", "body", "is_hidden", "created_at"]
        read_only_fields = fields


class CommentWriteSerializer(serializers.Serializer):
    body = serializers.CharField(max_length=2000, trim_whitespace=True)
