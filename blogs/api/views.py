from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.throttling import BaseThrottle

from blogs import selectors, services
from blogs.api.serializers import (
    CommentSerializer,
    CommentWriteSerializer,
    PostSerializer,
    PostWriteSerializer,
)
from blogs.filters import PostFilter
from blogs.permissions import can_moderate_comments
from core.api.throttles import FailOpenScopedRateThrottle
from core.filters import StrictBooleanField

COMMENT_ID = OpenApiParameter("comment_id", OpenApiTypes.UUID, OpenApiParameter.PATH)


class CommentThrottle(FailOpenScopedRateThrottle):
    scope_attr = "comment_throttle_scope"


class PostViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """The clinic's blog. Anyone reads published posts; doctors and staff write; signed-in
    users comment; staff and the post's author moderate comments."""

    serializer_class = PostSerializer
    filterset_class = PostFilter
    ordering_fields = ["published_at", "title", "created_at"]
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]
    comment_throttle_scope = "comments"
    lookup_value_regex = "[^/]+"

    def get_queryset(self):
        return selectors.post_list(actor=self.request.user)

    def get_object(self):
        return selectors.post_get(actor=self.request.user, key=self.kwargs["pk"])

    def get_permissions(self):
        if self.request.method in ("GET", "HEAD", "OPTIONS"):
            return [AllowAny()]
        return [IsAuthenticated()]

    def get_throttles(self) -> list[BaseThrottle]:
        # Only posting a comment is rate-limited; chosen here, per action and method, so that
        # the schema documents 429 on that operation alone.
        if self.action == "comments" and self.request.method == "POST":
            return [CommentThrottle()]
        return []

    @extend_schema(request=PostWriteSerializer, responses={201: PostSerializer})
    def create(self, request, *args, **kwargs):
        data = PostWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        post = services.post_create(actor=request.user, **data.validated_data)
        return Response(
            PostSerializer(self.get_queryset().get(pk=post.pk)).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(request=PostWriteSerializer, responses={200: PostSerializer})
    def partial_update(self, request, *args, **kwargs):
        post = self.get_object()
        data = PostWriteSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        services.post_update(actor=request.user, post=post, data=data.validated_data)
        return Response(PostSerializer(self.get_queryset().get(pk=post.pk)).data)

    def perform_destroy(self, instance):
        services.post_delete(actor=self.request.user, post=instance)

    @extend_schema(
        methods=["GET"],
        parameters=[OpenApiParameter("include_hidden", bool, description="Moderators only")],
        responses={200: CommentSerializer(many=True)},
        summary="Visible comments (moderators may include hidden ones)",
    )
    @extend_schema(
        methods=["POST"],
        request=CommentWriteSerializer,
        responses={201: CommentSerializer},
        summary="Comment (signed-in users)",
    )
    @action(detail=True, methods=["get", "post"], filter_backends=[])
    def comments(self, request, pk=None):
        post = self.get_object()
        if request.method == "POST":
            if not request.user.is_authenticated:
                self.permission_denied(request, message="Sign in to comment.")
            data = CommentWriteSerializer(data=request.data)
            data.is_valid(raise_exception=True)
            comment = services.comment_create(actor=request.user, post=post, **data.validated_data)
            return Response(CommentSerializer(comment).data, status=status.HTTP_201_CREATED)
        include_hidden = StrictBooleanField(required=False).clean(
            request.query_params.get("include_hidden")
        )
        comments = selectors.comment_list(
            actor=request.user, post=post, include_hidden=bool(include_hidden)
        )
        page = self.paginate_queryset(comments)
        return self.get_paginated_response(CommentSerializer(page, many=True).data)

    @extend_schema(request=None, responses={200: CommentSerializer}, parameters=[COMMENT_ID])
    @action(detail=True, methods=["post"], url_path=r"comments/(?P<comment_id>[^/.]+)/hide")
    def hide_comment(self, request, pk=None, comment_id=None):
        return self._moderate(request, comment_id, hidden=True)

    @extend_schema(request=None, responses={200: CommentSerializer}, parameters=[COMMENT_ID])
    @action(detail=True, methods=["post"], url_path=r"comments/(?P<comment_id>[^/.]+)/unhide")
    def unhide_comment(self, request, pk=None, comment_id=None):
        return self._moderate(request, comment_id, hidden=False)

    def _moderate(self, request, comment_id, *, hidden: bool) -> Response:
        post = self.get_object()
        if not can_moderate_comments(request.user, post):
            self.permission_denied(request, message="Only staff and the author moderate.")
        comment = selectors.comment_get(post=post, comment_id=comment_id)
        comment.post = post
        comment = services.comment_set_hidden(actor=request.user, comment=comment, hidden=hidden)
        return Response(CommentSerializer(comment).data)
