"""core.services.model_update: set, check and report the fields of one instance."""

import pytest

from core.exceptions import ValidationFailed
from core.models import Delivery
from core.services import model_update

FIELDS = ("channel", "to", "subject", "body", "attempts")


def delivery(**fields) -> Delivery:
    return Delivery(**{"channel": "email", "to": "a@example.com", "body": "Hello", **fields})


def test_an_unknown_field_is_refused_and_nothing_is_set():
    row = delivery(subject="Kept")
    with pytest.raises(ValidationFailed) as caught:
        model_update(instance=row, fields=FIELDS, data={"subject": "New", "secret": True})
    assert caught.value.message == "Unknown fields: secret."
    assert caught.value.code == "validation_error"
    assert (row.subject, row.secret) == ("Kept", False)


def test_only_the_fields_whose_value_changed_are_listed():
    row = delivery(subject="Same", attempts=2)
    changed = model_update(
        instance=row,
        fields=FIELDS,
        data={"subject": "Same", "body": "Bye", "attempts": "2"},  # "2" is cleaned to 2
    )
    assert changed == ["body"]
    assert (row.body, row.attempts) == ("Bye", 2)
    assert model_update(instance=row, fields=FIELDS, data={}) == []


def test_strings_are_stripped_and_other_values_left_alone():
    row = delivery()
    changed = model_update(
        instance=row, fields=FIELDS, data={"subject": "  Reminder \n", "attempts": 3}
    )
    assert changed == ["subject", "attempts"]
    assert (row.subject, row.attempts) == ("Reminder", 3)


def test_djangos_validation_errors_become_validation_failed_with_every_field():
    row = delivery()
    with pytest.raises(ValidationFailed) as caught:
        model_update(instance=row, fields=FIELDS, data={"channel": "pigeon", "to": "   "})
    error = caught.value
    assert set(error.fields) == {"channel", "to"}
    assert error.fields["channel"] == ["Value 'pigeon' is not a valid choice."]
    assert error.fields["to"] == ["This field cannot be blank."]
    assert error.message == "channel: Value 'pigeon' is not a valid choice."

    with pytest.raises(ValidationFailed) as bare:
        model_update(instance=delivery(), fields=FIELDS, data={"to": ""}, prefix_field=False)
    assert bare.value.message == "This field cannot be blank."


def test_excluded_fields_are_not_checked_and_the_callers_errors_are_reported_with_djangos():
    row = delivery()
    assert model_update(instance=row, fields=FIELDS, data={"body": ""}, exclude=["body"]) == [
        "body"
    ]
    with pytest.raises(ValidationFailed) as caught:
        model_update(
            instance=row,
            fields=FIELDS,
            data={"to": "", "subject": None},
            exclude=["body"],
            errors={"subject": ["Give text, not null."], "to": ["Give an address."]},
        )
    assert caught.value.fields == {
        "to": ["This field cannot be blank.", "Give an address."],
        "subject": ["Give text, not null."],
    }
    assert caught.value.message == "to: This field cannot be blank."
