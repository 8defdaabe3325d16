from django.urls import path

from blogs import views

urlpatterns = [
    path("blog/", views.post_list_page, name="blog-list"),
    path("blog/feed/", views.LatestPostsFeed(), name="blog-feed"),
    path("blog/<str:slug>/", views.post_detail_page, name="blog-post"),
]
