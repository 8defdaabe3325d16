from rest_framework.permissions import BasePermission

from users.models import Role
from users.roles import role_of


class HasRole(BasePermission):
    roles: frozenset[str] = frozenset()

    def has_permission(self, request, view) -> bool:
        return role_of(request.user) in self.roles


class IsStaffOrAdmin(HasRole):
    roles = frozenset({Role.STAFF, Role.ADMIN})


class IsAdminRole(HasRole):
    roles = frozenset({Role.ADMIN})
