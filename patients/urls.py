"""Server-rendered pages of this app."""

urlpatterns: list = []
