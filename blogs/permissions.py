from users.roles import is_clinic_staff, is_doctor


def can_write_posts(actor) -> bool:
    return is_doctor(actor) or is_clinic_staff(actor)


def can_edit_post(actor, post) -> bool:
    return is_clinic_staff(actor) or (can_write_posts(actor) and post.author_id == actor.pk)


def can_moderate_comments(actor, post) -> bool:
    """Staff and the post's author hide and unhide comments."""
    return can_edit_post(actor, post)
