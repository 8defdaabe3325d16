"""The notification pages: the signed-in user's own notifications and their channel choices.
They call the same functions as the notifications API (core.notifications)."""

from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from core import notifications
from core.exceptions import ValidationFailed
from core.lookups import get_visible_or_404
from core.models import Channel, Notification
from core.pages import add_service_error

PAGE_SIZE = 20


def local_link(link: str) -> str:
    """The notification's link if it is a path on this site, else "" (never another host)."""
    if link.startswith("/") and not link.startswith(("//", "/\\")):
        return link
    return ""


@dataclass
class Row:
    notification: Notification
    link: str


def _own_notifications(request: HttpRequest):
    return Notification.objects.filter(user=request.user).order_by("-created_at", "-id")


def _page_number(value: Any) -> str:
    """A page number worth carrying back to the list, or "" (the first page)."""
    value = str(value or "")
    return value if value.isdigit() and len(value) < 7 else ""


def _list_url(page: str = "") -> str:
    url = reverse("notification-list")
    return f"{url}?page={page}" if page else url


@login_required
@require_http_methods(["GET", "HEAD"])
def notification_list(request: HttpRequest) -> HttpResponse:
    """Newest first, a page at a time; the unread ones marked, with their count."""
    own = _own_notifications(request)
    page = Paginator(own, PAGE_SIZE).get_page(request.GET.get("page"))
    unread = own.filter(is_read=False).count()
    rows = [Row(notification, local_link(notification.link)) for notification in page]
    return render(
        request,
        "core/notification_list.html",
        {
            "page": page,
            "rows": rows,
            "unread": unread,
            # The navigation's badge shows this count too: no second query for it.
            "unread_notifications": unread,
        },
    )


@login_required
@require_POST
def notification_mark_read(request: HttpRequest, notification_id) -> HttpResponse:
    """Mark one of the user's own notifications as read; anyone else's answers 404."""
    notification = get_visible_or_404(
        _own_notifications(request), "No such notification.", pk=notification_id
    )
    notifications.notification_read(user=request.user, notification=notification)
    if request.htmx:
        unread = _own_notifications(request).filter(is_read=False).count()
        row = Row(notification, local_link(notification.link))
        return render(
            request,
            "core/notification_row.html",
            {"row": row, "unread": unread, "page_number": "", "swap_count": True},
        )
    messages.success(request, "Marked as read.")
    return redirect(_list_url(_page_number(request.POST.get("page"))))


@login_required
@require_POST
def notification_mark_all_read(request: HttpRequest) -> HttpResponse:
    marked = notifications.notifications_read_all(user=request.user)
    if marked:
        noun = "notification" if marked == 1 else "notifications"
        messages.success(request, f"Marked {marked} {noun} as read.")
    else:
        messages.info(request, "You had no unread notifications.")
    return redirect(_list_url())


class PreferencesForm(forms.Form):
    """One checkbox per kind and channel, from the user's current choices."""

    def __init__(self, *args, choices: list[dict[str, Any]], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.cells: dict[str, tuple[str, str]] = {}
        for choice in choices:
            name = f"{choice['kind']}__{choice['channel']}"
            self.cells[name] = (choice["kind"], choice["channel"])
            self.fields[name] = forms.BooleanField(
                required=False,
                initial=choice["enabled"],
                # The row's heading names the kind; the label names the channel.
                widget=forms.CheckboxInput(attrs={"aria-describedby": f"kind-{choice['kind']}"}),
            )

    def chosen(self) -> list[dict[str, Any]]:
        """The shape the notifications API takes: kind, channel, enabled."""
        return [
            {"kind": kind, "channel": channel, "enabled": self.cleaned_data[name]}
            for name, (kind, channel) in self.cells.items()
        ]


CHANNEL_LABELS = dict(Channel.choices)


def _preference_table(form: PreferencesForm, choices: list[dict[str, Any]]) -> list[dict]:
    """Rows by kind, a cell per channel: the checkbox, its channel and whether it can reach
    the user (no SMS without a phone number)."""
    labels = notifications.notification_kinds()
    rows: dict[str, dict] = {}
    for choice in choices:
        kind, channel = choice["kind"], choice["channel"]
        row = rows.setdefault(kind, {"kind": kind, "label": labels.get(kind, kind), "cells": []})
        row["cells"].append(
            {
                "field": form[f"{kind}__{channel}"],
                "channel": CHANNEL_LABELS.get(channel, channel),
                "available": choice["available"],
            }
        )
    return list(rows.values())


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def notification_preferences(request: HttpRequest) -> HttpResponse:
    choices = notifications.preferences_for(request.user)
    data = request.POST if request.method == "POST" else None
    form = PreferencesForm(data, choices=choices)
    if request.method == "POST" and form.is_valid():
        try:
            notifications.preferences_set(user=request.user, choices=form.chosen())
        except ValidationFailed as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, "Your notification settings are saved.")
            return redirect("notification-preferences")
    return render(
        request,
        "core/notification_preferences.html",
        {
            "form": form,
            "table": _preference_table(form, choices),
            "channels": [CHANNEL_LABELS[channel] for channel in Channel.values],
            "sms_unavailable": any(not c["available"] for c in choices),
        },
        status=400 if form.errors else 200,
    )
