from users.models import Role
from users.services import role_of


def can_manage_doctor(actor, doctor) -> bool:
    """The doctor themself, staff and administrators manage a doctor's profile and schedule."""
    role = role_of(actor)
    return role in (Role.STAFF, Role.ADMIN) or (role == Role.DOCTOR and doctor.user_id == actor.pk)
