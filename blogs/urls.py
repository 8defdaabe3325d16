from django.urls import path

from blogs import views

urlpatterns = [
    path("blog/", views.post_list_page, name="blog-list"),
    path("blog/feed/", views.LatestPostsFeed(), name="blog-feed"),
    # The author's own pages, before the post pages whose slug would take these words.
    path("blog/mine/", views.post_drafts_page, name="blog-drafts"),
    path("blog/mine/new/", views.post_new_page, name="blog-post-new"),
    path("blog/mine/<uuid:post_id>/edit/", views.post_edit_page, name="blog-post-edit"),
    path("blog/mine/<uuid:post_id>/delete/", views.post_delete_page, name="blog-post-delete"),
    path("blog/moderation/", views.comment_moderation_page, name="comment-moderation"),
    path(
        "blog/moderation/<uuid:comment_id>/hidden/",
        views.comment_set_hidden_page,
        name="comment-set-hidden",
    ),
    path("blog/<str:slug>/", views.post_detail_page, name="blog-post"),
]
