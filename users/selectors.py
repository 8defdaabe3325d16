from django.db.models import QuerySet

from users.models import StaffProfile, User


def user_list() -> QuerySet[User]:
    return User.objects.all().order_by("full_name", "email")


def staff_profile_list() -> QuerySet[StaffProfile]:
    return StaffProfile.objects.select_related("user").order_by("user__full_name")
