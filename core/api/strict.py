from typing import Any

from rest_framework import serializers


class StrictSerializer(serializers.Serializer):
    """A request body that refuses keys it does not know, so that a misspelt field ("refils")
    is a 400 naming it instead of a value silently left out."""

    def to_internal_value(self, data: Any) -> dict[str, Any]:
        if not isinstance(data, dict):
            raise serializers.ValidationError({"non_field_errors": ["Give an object."]})
        unknown = sorted(set(data) - set(self.fields))
        if unknown:
            raise serializers.ValidationError({name: ["Unknown field."] for name in unknown})
        return super().to_internal_value(data)
