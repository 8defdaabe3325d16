"""Bookings that race: many patients for one slot, one patient for two doctors at once. The
answers are counted, then the database is asked whether any two visits that hold time overlap
(per doctor, buffers included, and per patient)."""

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.db import connection

from appointments.models import HOLDING, Appointment
from bench.load import Server, all_at_once
from bench.probes import Cast, Openings, booking_request

# Overlapping spans of one party: each span against the latest end before it.
OVERLAPS_SQL = """
SELECT count(*) FROM (
    SELECT {start} < max({end}) OVER (
        PARTITION BY {party} ORDER BY {start}, id
        ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING
    ) AS clash
    FROM appointments_appointment WHERE status = ANY(%s)
) AS spans WHERE clash
"""


@dataclass
class ContentionResult:
    clients: int
    same_slot_statuses: Counter[int] = field(default_factory=Counter)
    same_slot_held: int = 0
    pair_rounds: int = 0
    pair_statuses: Counter[int] = field(default_factory=Counter)
    pair_double_booked_patients: int = 0
    doctor_overlaps: int = 0
    patient_overlaps: int = 0

    @property
    def double_bookings(self) -> int:
        extra_on_slot = max(0, self.same_slot_held - 1)
        return (
            extra_on_slot
            + self.pair_double_booked_patients
            + self.doctor_overlaps
            + self.patient_overlaps
        )

    @property
    def server_errors(self) -> int:
        statuses = self.same_slot_statuses + self.pair_statuses
        return sum(count for status, count in statuses.items() if status >= 500)

    def as_dict(self) -> dict[str, Any]:
        return {
            "clients": self.clients,
            "same_slot_statuses": dict(self.same_slot_statuses),
            "same_slot_held": self.same_slot_held,
            "pair_rounds": self.pair_rounds,
            "pair_statuses": dict(self.pair_statuses),
            "pair_double_booked_patients": self.pair_double_booked_patients,
            "doctor_overlaps": self.doctor_overlaps,
            "patient_overlaps": self.patient_overlaps,
            "double_bookings": self.double_bookings,
            "server_errors": self.server_errors,
        }


def overlapping_spans() -> tuple[int, int]:
    """(doctors' held spans that overlap, patients' visits that overlap), over every visit
    that holds time."""
    holding = [str(status) for status in HOLDING]
    counts = []
    with connection.cursor() as cursor:
        for party, start, end in (
            ("doctor_id", "held_start", "held_end"),
            ("patient_id", "start", '"end"'),
        ):
            cursor.execute(OVERLAPS_SQL.format(party=party, start=start, end=end), [holding])
            counts.append(cursor.fetchone()[0])
    return counts[0], counts[1]


def run_contention(
    server: Server, cast: Cast, openings: Openings, *, clients: int = 64, pair_rounds: int = 10
) -> ContentionResult:
    result = ContentionResult(clients=clients, pair_rounds=pair_rounds)
    slot, patients = openings.contended(clients)
    requests = [booking_request(cast, slot, patient) for patient in patients]
    result.same_slot_statuses.update(response.status for response in all_at_once(server, requests))
    result.same_slot_held = Appointment.objects.filter(
        doctor_id=slot.doctor_id, status__in=HOLDING, start__lt=slot.end, end__gt=slot.start
    ).count()

    for _ in range(pair_rounds):
        first, second, patient = openings.overlapping_pair()
        answers = all_at_once(
            server, [booking_request(cast, opening, patient) for opening in (first, second)]
        )
        result.pair_statuses.update(response.status for response in answers)
        held = Appointment.objects.filter(
            patient__user=patient,
            status__in=HOLDING,
            start__lt=max(first.end, second.end),
            end__gt=min(first.start, second.start),
        ).count()
        result.pair_double_booked_patients += held > 1

    result.doctor_overlaps, result.patient_overlaps = overlapping_spans()
    return result
