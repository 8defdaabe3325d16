from users.roles import is_clinic_staff, is_doctor


def can_manage_doctor(actor, doctor) -> bool:
    """The doctor themself, staff and administrators manage a doctor's profile and schedule."""
    return is_clinic_staff(actor) or (is_doctor(actor) and doctor.user_id == actor.pk)
