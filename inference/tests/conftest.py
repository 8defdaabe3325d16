import pytest


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The inference service has no database: its tests are the same on every backend."""
    for item in items:
        if "inference/tests/" in item.nodeid:
            item.add_marker(pytest.mark.backend_independent)
