"""Who may open a page. A page meant for another role answers 404, as an object one may not see
does: a patient learns nothing from a doctor's URL."""

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse

from users.roles import may_use_second_factor, role_of

View = Callable[..., HttpResponse]


def role_required(*roles: str) -> Callable[[View], View]:
    """Anonymous visitors go to the sign-in page; other roles get 404."""

    def decorate(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            role = role_of(request.user)
            if role is None:
                return redirect_to_login(request.get_full_path())
            if role not in roles:
                raise Http404
            return view(request, *args, **kwargs)

        return wrapped

    return decorate


patient_required = role_required("patient")
doctor_required = role_required("doctor")


def second_factor_page(view: View) -> View:
    """The account's two-step sign-in pages: for the roles that may enrol (not patients, by
    default); anonymous visitors go to the sign-in page, other roles get 404."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if role_of(request.user) is None:
            return redirect_to_login(request.get_full_path())
        if not may_use_second_factor(request.user):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapped
