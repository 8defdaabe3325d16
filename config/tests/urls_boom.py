"""The real URLconf plus views that fail on purpose, for the error-handling tests."""

from django.urls import path
from rest_framework.decorators import api_view, permission_classes
from rest_framework.permissions import AllowAny

from config.urls import urlpatterns as real_urlpatterns


@api_view(["GET"])
@permission_classes([AllowAny])
def api_boom(request):
    raise RuntimeError("secret-internal-detail")


def page_boom(request):
    raise RuntimeError("secret-internal-detail")


urlpatterns = [
    path("api/v1/boom/", api_boom),
    path("boom/", page_boom),
    *real_urlpatterns,
]

handler500 = "core.errors.handler500"
handler404 = "core.errors.handler404"
