from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from core.audit import ReadAuditedQuerySet
from core.crypto import EncryptedJSONField
from core.models import BaseModel
from doctors.models import Doctor
from users.models import User, validate_phone

INSURANCE_KEYS = ("provider", "member_id", "group_number")


OLDEST_AGE_YEARS = 130


def validate_date_of_birth(value) -> None:
    """One rule for every door (self-registration, the desk, the profile, the admin)."""
    if not value:
        return
    today = timezone.localdate()
    if value > today:
        raise ValidationError("The date of birth cannot be in the future.", code="future_date")
    if value.year < today.year - OLDEST_AGE_YEARS:
        raise ValidationError(
            f"The date of birth cannot be more than {OLDEST_AGE_YEARS} years ago.",
            code="implausible_date",
        )


validate_not_in_future = validate_date_of_birth  # named in an early migration


def validate_insurance(value) -> None:
    if value in (None, {}):
        return
    if not isinstance(value, dict):
        raise ValidationError("Insurance must be an object.", code="invalid_insurance")
    unknown = set(value) - set(INSURANCE_KEYS)
    if unknown:
        raise ValidationError(
            f"Unknown insurance fields: {', '.join(sorted(unknown))}. "
            f"Use {', '.join(INSURANCE_KEYS)}.",
            code="invalid_insurance",
        )
    for key, item in value.items():
        if not isinstance(item, str) or len(item) > 100:
            raise ValidationError(
                f"Insurance {key} must be text of at most 100 characters.",
                code="invalid_insurance",
            )


class Sex(models.TextChoices):
    FEMALE = "female", "Female"
    MALE = "male", "Male"
    OTHER = "other", "Other"
    UNKNOWN = "unknown", "Unknown"


class BloodGroup(models.TextChoices):
    A_POS = "A+", "A+"
    A_NEG = "A-", "A-"
    B_POS = "B+", "B+"
    B_NEG = "B-", "B-"
    AB_POS = "AB+", "AB+"
    AB_NEG = "AB-", "AB-"
    O_POS = "O+", "O+"
    O_NEG = "O-", "O-"
    UNKNOWN = "unknown", "Unknown"


class Patient(BaseModel):
    audit_resource_type = "patient"
    audit_patient_user_id = "user_id"

    user = models.OneToOneField(User, on_delete=models.PROTECT, related_name="patient_profile")
    date_of_birth = models.DateField(null=True, blank=True, validators=[validate_date_of_birth])
    sex = models.CharField(max_length=8, choices=Sex.choices, default=Sex.UNKNOWN)
    blood_group = models.CharField(
        max_length=8, choices=BloodGroup.choices, default=BloodGroup.UNKNOWN
    )
    allergies = models.TextField(blank=True, max_length=2000)
    emergency_contact_name = models.CharField(max_length=150, blank=True)
    emergency_contact_phone = models.CharField(
        max_length=20, blank=True, validators=[validate_phone]
    )
    emergency_contact_relationship = models.CharField(max_length=50, blank=True)
    # Encrypted at rest (it names the patient's insurer and member id); never filtered on.
    insurance = EncryptedJSONField(default=dict, blank=True, validators=[validate_insurance])
    address = models.TextField(blank=True, max_length=500)

    objects = ReadAuditedQuerySet.as_manager()

    class Meta:
        ordering = ["user__full_name"]

    def __str__(self) -> str:
        return self.user.full_name


class PatientUserObjectPermission(UserObjectPermissionBase):
    """Direct foreign-key object permissions: scoping joins this table, not a generic one."""

    content_object = models.ForeignKey(Patient, on_delete=models.CASCADE)


class PatientGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(Patient, on_delete=models.CASCADE)


class CareAssignment(BaseModel):
    """A doctor on a patient's care team."""

    doctor = models.ForeignKey(Doctor, on_delete=models.PROTECT, related_name="care_assignments")
    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="care_assignments")
    active = models.BooleanField(default=True)
    started_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True)
    note = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-started_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["doctor", "patient"],
                condition=Q(active=True),
                name="patients_care_one_active_pair",
                violation_error_message="This doctor is already on this patient's care team.",
            ),
            models.CheckConstraint(
                condition=Q(active=True, ended_at__isnull=True)
                | Q(active=False, ended_at__isnull=False),
                name="patients_care_ended_iff_inactive",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.doctor} - {self.patient}"
