from rest_framework.permissions import BasePermission


class IsAdministrator(BasePermission):
    """Clinic administrators (the admin role holds superuser rights)."""

    def has_permission(self, request, view) -> bool:
        user = request.user
        return bool(user and user.is_authenticated and user.is_superuser)


class IsClinicStaff(BasePermission):
    """Anyone who may use the admin site (the staff and admin roles)."""

    def has_permission(self, request, view) -> bool:
        user = request.user
        return bool(user and user.is_authenticated and user.is_staff)
