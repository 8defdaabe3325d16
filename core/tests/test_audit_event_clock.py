"""An audit event's title reads on the signed-in user's clock, like the times on its page."""

from datetime import UTC, datetime

import pytest
import time_machine
from django.utils import timezone

from core.audit import audit_record
from core.models import AuditAction, AuditEvent


@pytest.mark.django_db
def test_an_audit_events_title_is_on_the_readers_clock(client, staff, patient):
    with time_machine.travel(datetime(2026, 6, 1, 6, 0, tzinfo=UTC), tick=False):
        event = audit_record(
            actor=staff,
            action=AuditAction.VIEW,
            resource_type="patient",
            resource_id="abc",
            patient=patient,
        )
    client.force_login(staff)  # Europe/Berlin: UTC+2 in June

    page = client.get(f"/admin/core/auditevent/{event.pk}/change/").content.decode()

    assert "2026-06-01 08:00:00 view patient abc" in page
    assert "2026-06-01 06:00:00" not in page
    with timezone.override("UTC"):
        assert str(event) == "2026-06-01 06:00:00 view patient abc"
    assert str(AuditEvent(action="view", resource_type="patient")) == "view patient "
