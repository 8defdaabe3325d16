from rest_framework.permissions import BasePermission

from users.models import Role
from users.otp import OTP_NOT_AVAILABLE
from users.roles import may_use_second_factor, role_of


class HasRole(BasePermission):
    roles: frozenset[str] = frozenset()

    def has_permission(self, request, view) -> bool:
        return role_of(request.user) in self.roles


class IsStaffOrAdmin(HasRole):
    roles = frozenset({Role.STAFF, Role.ADMIN})


class IsAdminRole(HasRole):
    roles = frozenset({Role.ADMIN})


class MayUseSecondFactor(BasePermission):
    """Two-step sign-in is for the roles of OTP_ALLOWED_ROLES (not patients, by default)."""

    message = OTP_NOT_AVAILABLE
    code = "otp_not_available"

    def has_permission(self, request, view) -> bool:
        return may_use_second_factor(request.user)
