"""The admin site, with the second sign-in step: its sign-in page goes on to a code page, and
a session reaches it only once past the second step its account needs."""

from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import path, reverse
from django.utils.decorators import method_decorator
from django.views.decorators.cache import never_cache
from django_otp import DEVICE_ID_SESSION_KEY

from users import views
from users.selectors import second_factor_satisfied


class ClinicAdminSite(admin.AdminSite):
    def has_permission(self, request: HttpRequest) -> bool:
        # A session made before the account enrolled, or signed in by some other way, is
        # sent to the sign-in page, which asks for the code. Asked several times a request
        # (the page, its menu): the answer is kept on the request.
        if not super().has_permission(request):
            return False
        if not hasattr(request, "_second_factor_satisfied"):
            request._second_factor_satisfied = second_factor_satisfied(
                user=request.user, session_device_id=request.session.get(DEVICE_ID_SESSION_KEY)
            )
        return request._second_factor_satisfied

    def get_urls(self):
        return [path("login/code/", self.login_code, name="login_code"), *super().get_urls()]

    @method_decorator(never_cache)
    def login(self, request: HttpRequest, extra_context: dict | None = None) -> HttpResponse:
        """Django's admin sign-in, whose password step is the portal's (users.views)."""
        if request.method == "GET" and self.has_permission(request):
            return HttpResponseRedirect(reverse("admin:index", current_app=self.name))
        context = {
            **self.each_context(request),
            "title": "Log in",
            "subtitle": None,
            "app_path": request.get_full_path(),
            "username": request.user.get_username(),
        }
        if REDIRECT_FIELD_NAME not in request.GET and REDIRECT_FIELD_NAME not in request.POST:
            context[REDIRECT_FIELD_NAME] = reverse("admin:index", current_app=self.name)
        context.update(extra_context or {})
        request.current_app = self.name
        return views.LoginView.as_view(
            extra_context=context,
            authentication_form=self.login_form or AdminAuthenticationForm,
            template_name=self.login_template or "admin/login.html",
            redirect_authenticated_user=False,
            code_url_name="admin:login_code",
        )(request)

    @method_decorator(never_cache)
    def login_code(self, request: HttpRequest) -> HttpResponse:
        """The admin's code step: the pages' view, in the admin's look."""
        context = {**self.each_context(request), "title": "Two-step sign-in", "subtitle": None}
        request.current_app = self.name
        return views.sign_in_code(
            request,
            template_name="users/admin_sign_in_code.html",
            extra_context=context,
            login_url="admin:login",
        )
