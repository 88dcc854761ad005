"""A write-in page id past what a database stores is a page that does not exist (404)."""

import pytest

# Hostile input: also part of `make attack` (docs/SECURITY.md).
pytestmark = pytest.mark.attack


@pytest.mark.django_db
@pytest.mark.parametrize("page_id", ["9223372036854775808", "2147483648", "0"])
def test_sending_to_an_out_of_range_page_id_is_not_found(client, page_id):
    response = client.post(f"/letters/send/{page_id}/", {"letter": "Hello"})
    assert response.status_code == 404
