import pytest

from model.catalog import default_catalog


@pytest.fixture
def catalog():
    return default_catalog()
