"""The doctor's own schedule editors (availability and time off)."""

urlpatterns: list = []
