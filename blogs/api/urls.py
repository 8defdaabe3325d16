from rest_framework.routers import DefaultRouter

from blogs.api.views import PostViewSet

router = DefaultRouter()
router.register("blogs", PostViewSet, basename="blog")

urlpatterns = router.urls
