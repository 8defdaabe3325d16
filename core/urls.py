from django.urls import path

from core import page_views, views

urlpatterns = [
    path("health/live", views.health_live, name="health-live"),
    path("health/ready", views.health_ready, name="health-ready"),
    path("metrics", views.metrics_view, name="metrics"),
    path("notifications/", page_views.notification_list, name="notification-list"),
    path(
        "notifications/<uuid:notification_id>/read/",
        page_views.notification_mark_read,
        name="notification-read",
    ),
    path(
        "notifications/read-all/",
        page_views.notification_mark_all_read,
        name="notification-read-all",
    ),
    path(
        "notifications/preferences/",
        page_views.notification_preferences,
        name="notification-preferences",
    ),
]
