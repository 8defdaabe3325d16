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

    def send(self, *, to: str, body: str, key: str = "") -> None:
        logger.info("sms", extra={"to_suffix": to[-4:], "chars": len(body)})
        print(f"[SMS to {to}] {body}")


class LocmemSmsBackend:
    def send(self, *, to: str, body: str, key: str = "") -> None:
        outbox.append({"to": to, "body": body, "key": key})


class HttpSmsBackend:
    """A JSON gateway: POST {"to", "body"} to SMS_GATEWAY_URL with a bearer key.

    Every attempt at one delivery carries the same `Idempotency-Key` (the delivery's id), so
    that a gateway which already has the message drops the repeat. A timeout is an unknown
    outcome: the message is retried under the same key."""

    def send(self, *, to: str, body: str, key: str = "") -> None:
        headers = {}
        if settings.SMS_GATEWAY_KEY:
            headers["Authorization"] = f"Bearer {settings.SMS_GATEWAY_KEY}"
        if key:
            headers["Idempotency-Key"] = key
        try:
            response = httpx.post(
                settings.SMS_GATEWAY_URL,
                json={"to": to, "body": body},
                headers=headers,
                timeout=httpx.Timeout(
                    settings.SMS_GATEWAY_READ_TIMEOUT, connect=settings.SMS_GATEWAY_CONNECT_TIMEOUT
                ),
            )
        except httpx.TimeoutException as exc:
            raise SmsError(f"gateway outcome unknown: {type(exc).__name__}") from exc
        except httpx.HTTPError as exc:
            raise SmsError(f"gateway unreachable: {type(exc).__name__}") from exc
        if response.status_code >= 300:
            raise SmsError(f"gateway answered {response.status_code}")


def sms_backend():
    return import_string(settings.SMS_BACKEND)()
