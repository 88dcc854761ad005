import pytest

from testing.letters import add_write_in_page


@pytest.fixture
def write_in(home_page, column):
    return add_write_in_page(home_page, column)
