"""Kept pages as a test reads them: viewed until served from the page cache, or rendered afresh."""

# With Redis the version and the page come in one round trip; without it, the version row is
# read at most once per PAGE_CACHE_VERSION_TTL, not once a request (test_kept_page_cost.py).
HIT_QUERIES = 0


def kept(client, url, **params):
    """Views `url` until it is served from the page cache; returns that response."""
    client.get(url, params)
    response = client.get(url, params)
    assert response["X-Page-Cache"] == "hit", url
    return response


def rendered(client, url, **params):
    """The next view of `url` is rendered afresh (and kept)."""
    response = client.get(url, params)
    assert response.status_code == 200
    assert response["X-Page-Cache"] == "miss", url
    return response
