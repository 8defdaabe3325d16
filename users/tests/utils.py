from rest_framework.test import APIClient

from core.testing import assert_error
from users import services
from users.models import User

__all__ = ["assert_error", "client_for"]


def client_for(user: User) -> APIClient:
    """An API client signed in with a real JWT access token."""
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {services.token_pair_for(user)['access']}")
    return client
