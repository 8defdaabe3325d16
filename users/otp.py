"""The second sign-in step's mechanics: what a code looks like, how recovery codes are made and
kept, the challenge that links the password step to the code step, and the QR code. Nothing
here writes: users.services does, and decides who may."""

import hashlib
import secrets
import unicodedata
import xml.etree.ElementTree as ET
from base64 import b32encode
from dataclasses import dataclass

import qrcode
from django.conf import settings
from django.core import signing
from django.utils.crypto import salted_hmac
from django_otp.plugins.otp_totp.models import TOTPDevice
from qrcode.image.svg import SvgPathFillImage

from core.exceptions import ServiceError
from users.models import User

RECOVERY_CODE_COUNT = 10
# No 0/o and no 1/i/l: the codes are read off paper. 31 signs x 12 places: about 59 bits.
RECOVERY_ALPHABET = "23456789abcdefghjkmnpqrstuvwxyz"
RECOVERY_CODE_LENGTH = 12
TOTP_DIGITS = 6
DEVICE_NAME = "Authenticator app"
CHALLENGE_SALT = "users.otp.challenge"

OTP_NOT_AVAILABLE = (
    "Two-step sign-in is for the clinic's accounts: doctors, staff and administrators."
)
INVALID_CODE = "The code is not correct, or it was used already."
INVALID_CHALLENGE = "This sign-in has expired or is not valid. Sign in again with your password."


class SignInRefused(ServiceError):
    """The code step refused: 401, as a wrong password is."""

    status_code = 401
    default_code = "invalid_code"


class SignInLocked(ServiceError):
    """Too many failed sign-ins for the account: 429, retry after `wait` seconds."""

    status_code = 429
    default_code = "account_locked"

    def __init__(self, message: str, *, wait: int) -> None:
        super().__init__(message)
        self.wait = wait


@dataclass(frozen=True)
class Enrolment:
    """What an authenticator app needs: the secret, as a link and as a QR code."""

    secret: str
    otpauth_uri: str
    qr_svg: str

    @property
    def secret_grouped(self) -> str:
        """The secret in groups of four, as people type it."""
        return " ".join(self.secret[i : i + 4] for i in range(0, len(self.secret), 4))


@dataclass(frozen=True)
class SecondStep:
    """A code step that succeeded: who, with which device, and whether a recovery code did it."""

    user: User
    device: TOTPDevice
    recovery_code_used: bool
    recovery_codes_left: int


def normalize_code(raw: str) -> str:
    """A code as compared: full-width digits and letters folded (NFKC), spaces and dashes
    dropped, lower case. "123 456" and "ABCD-efgh-2345" are what people type."""
    text = unicodedata.normalize("NFKC", raw)
    return "".join(ch for ch in text if not ch.isspace() and ch != "-").lower()


def is_totp_code(code: str) -> bool:
    return len(code) == TOTP_DIGITS and code.isascii() and code.isdigit()


def is_recovery_code(code: str) -> bool:
    return len(code) == RECOVERY_CODE_LENGTH and all(ch in RECOVERY_ALPHABET for ch in code)


def recovery_code_new() -> str:
    """A new recovery code, as shown: three groups of four."""
    code = "".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(RECOVERY_CODE_LENGTH))
    return f"{code[:4]}-{code[4:8]}-{code[8:]}"


def recovery_code_hash(code: str) -> str:
    """The stored form of a recovery code. The codes are random (about 59 bits), unlike
    passwords, so one fast hash is enough, and a code is found by its hash."""
    return hashlib.sha256(normalize_code(code).encode()).hexdigest()


def _challenge_state(user: User) -> str:
    """Changes when the password does and at every completed sign-in (last_login), so that a
    challenge works for one sign-in only, and never after a password change."""
    value = f"{user.pk}|{user.password}|{user.last_login}|{user.is_active}"
    return salted_hmac(CHALLENGE_SALT, value, algorithm="sha256").hexdigest()[:32]


def challenge_issue(user: User) -> str:
    """The short-lived token that the password step hands to the code step."""
    return signing.dumps({"u": str(user.pk), "s": _challenge_state(user)}, salt=CHALLENGE_SALT)


def challenge_user_id(challenge: str) -> tuple[str, str]:
    """(user id, state) of a challenge still within OTP_CHALLENGE_SECONDS; refused otherwise."""
    try:
        payload = signing.loads(
            challenge, salt=CHALLENGE_SALT, max_age=settings.OTP_CHALLENGE_SECONDS
        )
    except (signing.BadSignature, ValueError, UnicodeError):
        raise SignInRefused(INVALID_CHALLENGE, code="invalid_challenge") from None
    if not (
        isinstance(payload, dict)
        and isinstance(payload.get("u"), str)
        and isinstance(payload.get("s"), str)
    ):
        raise SignInRefused(INVALID_CHALLENGE, code="invalid_challenge")
    return payload["u"], payload["s"]


def challenge_matches(user: User, state: str) -> bool:
    return secrets.compare_digest(_challenge_state(user), state)


def qr_svg(text: str, label: str) -> str:
    """A QR code as inline SVG markup: no image library, no request to anyone else, and no
    style attribute for the Content-Security-Policy to refuse."""
    image = qrcode.make(text, image_factory=SvgPathFillImage, box_size=10, border=4)
    svg = image.get_image()
    svg.set("width", "240")
    svg.set("height", "240")
    svg.set("role", "img")
    svg.set("aria-label", label)
    return ET.tostring(svg, encoding="unicode")


def enrolment_of(device: TOTPDevice) -> Enrolment:
    uri = device.config_url
    return Enrolment(
        secret=b32encode(device.bin_key).decode(),
        otpauth_uri=uri,
        qr_svg=qr_svg(uri, "QR code of the secret, for the authenticator app"),
    )
