"""Helpers of the two-step sign-in tests: codes as an authenticator app makes them."""

import time
from datetime import UTC, datetime, timedelta

import time_machine
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from users import services
from users.models import User
from users.tests.factories import PASSWORD

# Later than any test's enrolment, on a 30-second boundary: "one step later" is exact.
T0 = datetime(2031, 3, 10, 9, 0, 0, tzinfo=UTC)
STEP = timedelta(seconds=30)


def code_at(device: TOTPDevice, when: float | datetime | None = None) -> str:
    """The code the app shows at `when` (now by default)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits)
    if isinstance(when, datetime):
        when = when.timestamp()
    totp.time = time.time() if when is None else when
    return f"{totp.token():0{device.digits}d}"


def enrol(user: User) -> tuple[TOTPDevice, list[str]]:
    """Enrol `user` through the services, a minute before now: the confirming code is spent,
    and the codes of now are still fresh."""
    with time_machine.travel(datetime.now(UTC) - 2 * STEP, tick=False):
        services.otp_enrolment_start(user=user, password=PASSWORD)
        pending = TOTPDevice.objects.get(user=user, confirmed=False)
        device, codes = services.otp_enrolment_confirm(user=user, code=code_at(pending))
    device.refresh_from_db()
    return device, codes
