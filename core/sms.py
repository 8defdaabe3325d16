"""SMS senders, chosen by settings.SMS_BACKEND like Django's e-mail backends."""

import logging

import httpx
from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)

outbox: list[dict[str, str]] = []  # what LocmemSmsBackend "sent", for tests


class SmsError(Exception):
    pass


class ConsoleSmsBackend:
    """The embedded default: the message goes to the log instead of a phone."""

    def send(self, *, to: str, body: str) -> None:
        logger.info("sms", extra={"to_suffix": to[-4:], "chars": len(body)})
        print(f"[SMS to {to}] {body}")


class LocmemSmsBackend:
    def send(self, *, to: str, body: str) -> None:
        outbox.append({"to": to, "body": body})


class HttpSmsBackend:
    """A JSON gateway: POST {"to", "body"} to SMS_GATEWAY_URL with a bearer key."""

    def send(self, *, to: str, body: str) -> None:
        try:
            response = httpx.post(
                settings.SMS_GATEWAY_URL,
                json={"to": to, "body": body},
                headers={"Authorization": f"Bearer {settings.SMS_GATEWAY_KEY}"},
                timeout=httpx.Timeout(10.0, connect=3.0),
            )
        except httpx.HTTPError as exc:
            raise SmsError(f"gateway unreachable: {type(exc).__name__}") from exc
        if response.status_code >= 300:
            raise SmsError(f"gateway answered {response.status_code}")


def sms_backend():
    return import_string(settings.SMS_BACKEND)()
