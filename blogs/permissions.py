from users.models import Role
from users.services import role_of

WRITER_ROLES = (Role.DOCTOR, Role.STAFF, Role.ADMIN)
MODERATOR_ROLES = (Role.STAFF, Role.ADMIN)


def can_write_posts(actor) -> bool:
    return role_of(actor) in WRITER_ROLES


def can_edit_post(actor, post) -> bool:
    role = role_of(actor)
    return role in MODERATOR_ROLES or (role in WRITER_ROLES and post.author_id == actor.pk)


def can_moderate_comments(actor, post) -> bool:
    """Staff and the post's author hide and unhide comments."""
    return can_edit_post(actor, post)
