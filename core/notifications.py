"""Notifications: what users are told, and on which channels.

Core holds the mechanism, not the list: each app registers the kinds of message it sends
(`notification_kinds_register`, from its AppConfig.ready), with their templates.

`notify` writes the in-portal notification and one delivery row per channel the user wants,
inside the caller's transaction, so the message exists exactly when the event does. Sending
happens after commit (core.outbox, through a Celery task); if the broker is down the rows stay
pending and the periodic sweep sends them later.

The channels each user chose are cached (core.caching), versioned on every change to them."""

import logging
import threading
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connections, transaction
from django.db.models.signals import post_delete, post_save
from django.template import TemplateDoesNotExist
from django.template.loader import get_template, render_to_string
from django.utils import timezone
from django.utils.choices import BaseChoiceIterator

from core.caching import VersionedCache, Versions
from core.db import insert_together
from core.exceptions import ValidationFailed
from core.models import Channel, Delivery, Notification, NotificationPreference
from core.outbox import delivery_send
from core.tasks import deliver

logger = logging.getLogger(__name__)

DEFAULT_CHANNELS = {Channel.EMAIL: True, Channel.SMS: False}

TEMPLATE_FILES = [
    ("title.txt", "in-app and e-mail subject"),
    ("body.txt", "in-app and e-mail body"),
    ("sms.txt", "sms"),
]

# value -> human label, in registration order
_kinds: dict[str, str] = {}


def _template_name(kind: str, name: str) -> str:
    return f"notifications/{kind}/{name}"


def notification_kinds_register(kinds: Iterable[tuple[str, str]]) -> None:
    """Called by the app that sends these kinds (value, label), from its AppConfig.ready.
    A kind needs its three message templates in the "text" engine: one that lacks any is
    refused here, at start-up, rather than when the first message is due."""
    kinds = list(kinds)
    max_length = Notification._meta.get_field("kind").max_length
    problems = []
    for value, label in kinds:
        if not value or len(value) > max_length:
            problems.append(f"{value!r}: a kind is 1 to {max_length} characters")
        elif _kinds.get(value, label) != label:
            problems.append(f"{value!r}: already registered as {_kinds[value]!r}")
        for name, _channel in TEMPLATE_FILES:
            try:
                get_template(_template_name(value, name), using="text")
            except TemplateDoesNotExist:
                problems.append(f"{value!r}: no template {_template_name(value, name)}")
    if problems:
        raise ImproperlyConfigured("Notification kinds refused: " + "; ".join(problems))
    # All or nothing: a refused batch leaves the registry as it was.
    for value, label in kinds:
        _kinds[value] = str(label)


def notification_kinds() -> dict[str, str]:
    """The registered kinds, value -> label, in registration order."""
    return dict(_kinds)


class NotificationKindChoices(BaseChoiceIterator):
    """The registered kinds as form choices, read when iterated: module-level fields (a
    filter's) are built before the apps register their kinds."""

    def __iter__(self) -> Iterator[tuple[str, str]]:
        yield from list(_kinds.items())

    def __len__(self) -> int:
        return len(_kinds)


def _render(kind: str, name: str, context: dict[str, Any]) -> str:
    return render_to_string(_template_name(kind, name), context, using="text").strip()


def _with_link(body: str, link: str) -> str:
    """An e-mail ends with the address of the page the message is about."""
    if not link:
        return body
    return f"{body}\n\nOpen it in the portal: {settings.PORTAL_BASE_URL}{link}"


@dataclass(frozen=True)
class Notice:
    """One message to write: what `notify` takes, for `notify_many`."""

    user: Any
    kind: str
    context: dict[str, Any]
    link: str = ""
    subject_id: str = ""
    subject_state: str = ""


def notify(
    *,
    user,
    kind: str,
    context: dict[str, Any],
    link: str = "",
    subject_id: str = "",
    subject_state: str = "",
) -> Notification:
    """Tell `user` about an event, in their time zone, on the channels they chose.
    `subject_id` and `subject_state` say what the message states, so that a delivery that
    waits (a retry, a broker outage) is dropped if it stops being true (core.subjects)."""
    notice = Notice(
        user=user,
        kind=kind,
        context=context,
        link=link,
        subject_id=subject_id,
        subject_state=subject_state,
    )
    return notify_many([notice])[0]


# The channels each user chose, (kind, channel) -> enabled, by user id.
ChosenChannels = dict[tuple[str, str], bool]
_preference_versions: Versions[Any] = Versions("notifications.preferences")
_preferences: VersionedCache[Any, ChosenChannels] = VersionedCache(
    _preference_versions, "chosen", timeout=60 * 60
)


def _chosen_channels(user_ids: Iterable[Any]) -> dict[Any, ChosenChannels]:
    """Each user's choices, from the cache; one query for the users it misses."""
    return _preferences.get_many(user_ids, _chosen_channels_load)


def _chosen_channels_load(user_ids: list[Any]) -> dict[Any, ChosenChannels]:
    chosen: dict[Any, ChosenChannels] = {user_id: {} for user_id in user_ids}
    rows = NotificationPreference.objects.filter(user_id__in=user_ids).values_list(
        "user_id", "kind", "channel", "enabled"
    )
    for user_id, kind, channel, enabled in rows:
        chosen[user_id][(kind, channel)] = enabled
    return chosen


def _preference_saved_or_deleted(sender, instance: NotificationPreference, **kwargs) -> None:
    _preference_versions.changed(instance.user_id)


def preference_signals_connect() -> None:
    """Any save or delete of a choice (the admin, a cascade) moves the user's version on;
    `preferences_set`, which writes without signals, does it itself."""
    post_save.connect(
        _preference_saved_or_deleted, sender=NotificationPreference, dispatch_uid="prefs.saved"
    )
    post_delete.connect(
        _preference_saved_or_deleted, sender=NotificationPreference, dispatch_uid="prefs.deleted"
    )


@dataclass
class Messages:
    """Rendered notifications and their deliveries, not yet written: `notify_many` writes them,
    or a caller writes them with rows of its own (core.db.insert_together), then calls
    `queue_after_commit`."""

    notifications: list[Notification]
    deliveries: list[Delivery]

    def queue_after_commit(self) -> None:
        queued = [(delivery.pk, delivery.channel) for delivery in self.deliveries]
        if queued:
            transaction.on_commit(lambda: queue_deliveries(queued))


def messages_render(notices: Sequence[Notice]) -> Messages:
    """Each notice rendered in its user's time zone, with a delivery per channel they chose
    (the choices come from the cache: no query once it is warm)."""
    unknown = sorted({notice.kind for notice in notices} - _kinds.keys())
    if unknown:  # a kind nobody registered has no preferences to honour
        raise ValueError(f"Unregistered notification kinds: {', '.join(unknown)}")
    chosen = _chosen_channels(notice.user.pk for notice in notices) if notices else {}
    notifications: list[Notification] = []
    deliveries: list[Delivery] = []
    for notice in notices:
        user = notice.user
        with timezone.override(user.timezone):
            context = {**notice.context, "user": user}
            title = _render(notice.kind, "title.txt", context)
            body = _render(notice.kind, "body.txt", context)
            sms = _render(notice.kind, "sms.txt", context)
        # The primary key is made here (BaseModel), so deliveries can point at the
        # notification before either is inserted.
        notification = Notification(
            user=user,
            kind=notice.kind,
            title=title[:200],
            body=body,
            link=notice.link,
            subject_id=notice.subject_id,
            subject_state=notice.subject_state,
        )
        notifications.append(notification)
        user_chosen = chosen.get(user.pk, {})
        wanted = {
            channel: user_chosen.get((notice.kind, channel), default)
            for channel, default in DEFAULT_CHANNELS.items()
        }
        if wanted[Channel.EMAIL] and user.email:
            deliveries.append(
                Delivery(notification=notification, channel=Channel.EMAIL, to=user.email,
                         subject=title[:200], body=_with_link(body, notice.link))
            )  # fmt: skip
        if wanted[Channel.SMS] and user.phone:
            deliveries.append(
                Delivery(notification=notification, channel=Channel.SMS, to=user.phone, body=sms)
            )
    return Messages(notifications, deliveries)


def notify_many(notices: Sequence[Notice]) -> list[Notification]:
    """`notify` for several messages at once, in at most three queries whatever their number
    (one on PostgreSQL once the choices are cached): the channels every user chose, then the
    notifications and their deliveries. Notifications come back in the order of `notices`.
    (SQLite caps the parameters of a query, so there Django splits an insert of more than
    about 60 rows.)"""
    if not notices:
        return []
    messages = messages_render(notices)
    insert_together(messages.notifications, messages.deliveries)
    messages.queue_after_commit()
    return messages.notifications


# The request path gives the broker one short try; the worker and beat keep Celery's own
# patient retries. A delivery that is not queued stays pending for the sweep.
REQUEST_PATH_BROKER_OPTIONS = {"max_retries": 0, "socket_connect_timeout": 0.5, "socket_timeout": 1}


def secret_email(*, to: str, subject: str, body: str, expires_at) -> Delivery:
    """An account e-mail whose body is a secret (a password link), through the same outbox as
    every message: written in the caller's transaction, sent after commit, retried and swept
    while the mail server is down, never sent after `expires_at`, wiped once sent."""
    delivery = Delivery.objects.create(
        channel=Channel.EMAIL,
        to=to,
        subject=subject[:200],
        body=body,
        secret=True,
        expires_at=expires_at,
    )
    transaction.on_commit(lambda: queue_deliveries([(delivery.pk, Channel.EMAIL)]))
    return delivery


# One queue per channel, so that a slow SMS gateway never holds up e-mail (and back).
QUEUE_OF_CHANNEL = {Channel.EMAIL: "email", Channel.SMS: "sms"}


def queue_deliveries(deliveries: list[tuple[Any, str]]) -> None:
    """Send (delivery id, channel) pairs outside the request. With a broker they go to the
    channel's Celery queue; a broker that cannot be reached leaves them pending for the sweep.
    Without one (the embedded mode) a background thread sends them. Either way the request
    that caused them is never failed, nor held up, by a slow gateway."""
    if deliver.app.conf.task_always_eager:
        if settings.DELIVERIES_IN_BACKGROUND:
            threading.Thread(target=_send_in_background, args=(deliveries,), daemon=True).start()
        else:  # tests that want the sending done by the time the request returns
            for delivery_id, _channel in deliveries:
                deliver.apply(args=[str(delivery_id)])
        return
    try:
        with deliver.app.connection_for_write(
            connect_timeout=0.5, transport_options=REQUEST_PATH_BROKER_OPTIONS
        ) as connection:
            for delivery_id, channel in deliveries:
                deliver.apply_async(
                    args=[str(delivery_id)],
                    queue=QUEUE_OF_CHANNEL[channel],
                    retry=False,
                    connection=connection,
                )
    except Exception as exc:  # kombu raises several kinds when the broker is away
        logger.warning(
            "broker unreachable; delivery left for the sweep", extra={"error": repr(exc)}
        )


def _send_in_background(deliveries: list[tuple[Any, str]]) -> None:
    """The embedded mode's sender: a failure leaves the row pending for `run_periodic`."""
    try:
        for delivery_id, _channel in deliveries:
            try:
                delivery_send(delivery_id)
            except Exception:  # the row stays as it was; the sweep tries again
                logger.exception("background delivery failed", extra={"delivery": str(delivery_id)})
    finally:
        connections.close_all()


def notification_read(*, user, notification: Notification) -> Notification:
    if not notification.is_read:
        notification.is_read = True
        notification.read_at = timezone.now()
        notification.save(update_fields=["is_read", "read_at", "updated_at"])
    return notification


def notifications_read_all(*, user) -> int:
    return Notification.objects.filter(user=user, is_read=False).update(
        is_read=True, read_at=timezone.now()
    )


def preferences_for(user) -> list[dict[str, Any]]:
    chosen = {
        (row.kind, row.channel): row.enabled
        for row in NotificationPreference.objects.filter(user=user)
    }
    # SMS need a phone number: without one the choice is kept but shown as unavailable, so
    # that nobody believes texts are coming.
    reachable = {Channel.EMAIL: bool(user.email), Channel.SMS: bool(user.phone)}
    return [
        {
            "kind": kind,
            "channel": channel,
            "enabled": chosen.get((kind, channel), DEFAULT_CHANNELS[channel]),
            "available": reachable[channel],
        }
        for kind in _kinds
        for channel in Channel.values
    ]


def preferences_set(*, user, choices: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Opt in or out per kind and channel. SMS needs a phone number in E.164 form."""
    unknown = sorted({choice["kind"] for choice in choices} - _kinds.keys())
    if unknown:
        message = f"Unknown kind: {', '.join(unknown)}."
        raise ValidationFailed(message, code="unknown_kind", fields={"kind": [message]})
    keys = [(choice["kind"], choice["channel"]) for choice in choices]
    if len(keys) != len(set(keys)):
        message = "Give each kind and channel once."
        raise ValidationFailed(message, code="duplicate_choice", fields={"kind": [message]})
    if any(c["channel"] == Channel.SMS and c["enabled"] for c in choices) and not user.phone:
        message = "Add a mobile number (e.g. +4915123456789) to your profile to receive SMS."
        raise ValidationFailed(message, code="phone_required", fields={"channel": [message]})
    NotificationPreference.objects.bulk_create(
        [NotificationPreference(user=user, **choice) for choice in choices],
        update_conflicts=True,
        unique_fields=["user", "kind", "channel"],
        update_fields=["enabled", "updated_at"],
    )
    _preference_versions.changed(user.pk)  # bulk_create sends no signal
    return preferences_for(user)


def templates_list() -> list[dict[str, str]]:
    """Every message template as it is on disk: staff read them; nobody edits them at run time."""
    found = []
    for kind in _kinds:
        for name, channel in TEMPLATE_FILES:
            template = get_template(_template_name(kind, name), using="text")
            found.append(
                {"kind": kind, "channel": channel, "name": name, "source": template.template.source}
            )
    return found
