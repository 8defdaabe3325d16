from rest_framework.permissions import BasePermission


class IsAdministrator(BasePermission):
    """Clinic administrators. The user model says who they are (`is_clinic_admin`); core reads
    that attribute and knows no roles."""

    def has_permission(self, request, view) -> bool:
        user = request.user
        return bool(user and user.is_authenticated and getattr(user, "is_clinic_admin", False))


class IsClinicStaff(BasePermission):
    """Clinic staff and administrators (the user model's `is_clinic_staff`)."""

    def has_permission(self, request, view) -> bool:
        user = request.user
        return bool(user and user.is_authenticated and getattr(user, "is_clinic_staff", False))
