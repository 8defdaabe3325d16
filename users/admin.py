from django import forms
from django.contrib import admin, messages
from django.db.models import Exists, OuterRef
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework_simplejwt.token_blacklist.admin import BlacklistedTokenAdmin
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken

from core.admin_tools import add_service_errors
from core.exceptions import ServiceError
from users import services
from users.models import StaffProfile, User
from users.roles import is_clinic_admin


class UserAddForm(forms.ModelForm):
    """Checks the new account with the same service that creates it."""

    password = forms.CharField(
        widget=forms.PasswordInput,
        required=False,
        strip=False,
        help_text="Leave empty to e-mail the user a link to choose their own.",
    )
    actor: User | None = None

    class Meta:
        model = User
        fields = ["email", "full_name", "role", "phone", "timezone"]

    def _post_clean(self) -> None:
        if self.errors:
            return
        try:
            self.instance = services.user_build(actor=self.actor, **self.cleaned_data)
        except ServiceError as exc:
            add_service_errors(self, exc)


class UserChangeForm(forms.ModelForm):
    actor: User | None = None

    class Meta:
        model = User
        fields = ["full_name", "phone", "timezone", "role", "email_verified"]

    def clean(self):
        data = super().clean()
        allowed = services.user_updatable_fields(actor=self.actor, user=self.instance)
        for name in set(self.changed_data) - allowed:
            self.add_error(name, "You may not change this.")
        return data


@admin.register(User)
class UserAdmin(admin.ModelAdmin):
    """Accounts are created and changed through the users services; nobody is deleted."""

    list_display = [
        "email",
        "full_name",
        "role",
        "is_active",
        "email_verified",
        "two_step",
        "date_joined",
    ]
    list_filter = ["role", "is_active", "email_verified"]
    search_fields = ["email", "full_name", "phone"]
    ordering = ["full_name"]
    readonly_fields = ["email", "is_active", "last_login", "date_joined"]
    actions = ["deactivate_selected", "activate_selected", "reset_two_step_selected"]

    def get_queryset(self, request):
        enrolled = TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)
        return super().get_queryset(request).annotate(two_step_on=Exists(enrolled))

    @admin.display(boolean=True, description="Two-step sign-in", ordering="two_step_on")
    def two_step(self, obj: User) -> bool:
        return obj.two_step_on

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not is_clinic_admin(request.user):
            actions.pop("reset_two_step_selected", None)  # administrators only
        return actions

    def get_form(self, request, obj=None, **kwargs):
        kwargs["form"] = UserAddForm if obj is None else UserChangeForm
        form = super().get_form(request, obj, **kwargs)
        form.actor = request.user
        return form

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["email", "full_name", "role", "phone", "timezone", "password"]
        return [
            "email",
            "full_name",
            "phone",
            "timezone",
            "role",
            "email_verified",
            *self.readonly_fields[1:],
        ]

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else self.readonly_fields

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        if change:
            changed = {name: data[name] for name in form.changed_data}
            fresh = User.objects.get(pk=obj.pk)  # the form already wrote its values on obj
            services.user_update(actor=request.user, user=fresh, data=changed, request=request)
        else:
            created = services.user_create(
                actor=request.user,
                email=data["email"],
                full_name=data["full_name"],
                role=data["role"],
                phone=data.get("phone", ""),
                timezone=data.get("timezone") or "UTC",
                password=data.get("password") or None,
                request=request,
            )
            obj.pk = created.pk
            obj._state.adding = False

    def save_related(self, request, form, formsets, change):
        # Groups follow the role (set by the service); nothing else relates here.
        pass

    @admin.action(description="Deactivate selected accounts")
    def deactivate_selected(self, request, queryset):
        self._set_active(request, queryset, active=False)

    @admin.action(description="Activate selected accounts")
    def activate_selected(self, request, queryset):
        self._set_active(request, queryset, active=True)

    @admin.action(description="Reset two-step sign-in of selected accounts (a lost phone)")
    def reset_two_step_selected(self, request, queryset):
        done = 0
        for user in queryset:
            try:
                services.otp_reset(actor=request.user, user=user, request=request)
                done += 1
            except ServiceError as exc:
                self.message_user(request, f"{user.email}: {exc.message}", level=messages.ERROR)
        if done:
            self.message_user(
                request,
                f"Two-step sign-in reset for {done} account(s): they sign in with their "
                "password, and enrol again where their role requires it.",
            )

    def _set_active(self, request, queryset, *, active: bool) -> None:
        done = 0
        for user in queryset:
            try:
                services.user_set_active(
                    actor=request.user, user=user, active=active, request=request
                )
                done += 1
            except ServiceError as exc:
                self.message_user(request, f"{user.email}: {exc.message}", level=messages.ERROR)
        if done:
            self.message_user(
                request, f"{done} account(s) {'activated' if active else 'deactivated'}."
            )


@admin.register(StaffProfile)
class StaffProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "department", "position", "hire_date", "status"]
    list_filter = ["status", "department"]
    search_fields = ["user__email", "user__full_name", "department", "position"]
    list_select_related = ["user"]
    readonly_fields = ["user"]

    def has_add_permission(self, request) -> bool:
        return False  # profiles come with staff accounts

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def save_model(self, request, obj, form, change):
        """Through the users service: administrators only, audited."""
        fresh = StaffProfile.objects.get(pk=obj.pk)
        data = {name: form.cleaned_data[name] for name in form.changed_data}
        services.staff_profile_update(actor=request.user, profile=fresh, data=data, request=request)
        obj.refresh_from_db()


# Authenticator apps are set up by their owners and reset by administrators (the action above),
# never edited by hand: the library's own page would show every secret.
if admin.site.is_registered(TOTPDevice):
    admin.site.unregister(TOTPDevice)

if admin.site.is_registered(BlacklistedToken):
    admin.site.unregister(BlacklistedToken)


@admin.register(BlacklistedToken)
class RevokedTokenAdmin(BlacklistedTokenAdmin):
    """Revoked refresh tokens, read-only as the outstanding ones are: a revocation is made by
    signing out or changing a password, and is never undone or edited by hand. (The library's
    own page offers to edit it, with a list of every token in a select.)"""

    actions = None

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
