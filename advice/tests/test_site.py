"""Site-wide behaviour: the home page, security headers, the routes we expose."""

import pytest
from django.contrib.auth import get_user_model


def directives(policy):
    """{'script-src': ["'self'"], ...}: django-csp does not keep the directives' order."""
    parsed = {}
    for part in policy.split(";"):
        name, *values = part.split()
        parsed[name] = values
    return parsed


@pytest.mark.django_db
def test_home_page_renders(client, home_page):
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<h1 id="home-title">Dear PurseBop</h1>' in html
    assert "Advice on handbags." in html


@pytest.mark.django_db
def test_public_pages_get_a_strict_content_security_policy(client, home_page):
    policy = directives(client.get("/")["Content-Security-Policy"])
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]


@pytest.mark.django_db
def test_admin_gets_its_own_looser_policy_not_none(client):
    response = client.get("/admin/login/")
    assert response.status_code == 200
    policy = directives(response["Content-Security-Policy"])
    assert "'unsafe-inline'" in policy["script-src"]
    assert policy["object-src"] == ["'none'"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path", ["/replies/api/", "/replies/like/1/", "/replies/approve/1/", "/replies/delete/1/"]
)
def test_xtd_views_we_do_not_use_are_not_routed(client, home_page, path):
    assert client.get(path).status_code == 404


@pytest.mark.django_db
def test_robots_txt_points_at_the_sitemap(client, home_page):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert "Sitemap: http://testserver/sitemap.xml" in response.content.decode()


@pytest.mark.django_db
def test_every_response_refuses_powerful_browser_features(client, home_page):
    """Public pages, the admin (signed in or not), a 404 and the health check alike."""
    admin = get_user_model().objects.create_superuser("chief", email="chief@example.com")
    responses = {
        "/": client.get("/"),
        "/admin/login/": client.get("/admin/login/"),
        "/no-such-page/": client.get("/no-such-page/"),
        "/healthz": client.get("/healthz"),
    }
    client.force_login(admin)
    responses["/admin/"] = client.get("/admin/")
    assert {path: response.status_code for path, response in responses.items()} == {
        "/": 200,
        "/admin/login/": 200,
        "/no-such-page/": 404,
        "/healthz": 200,
        "/admin/": 200,
    }
    for path, response in responses.items():
        features = dict(
            part.strip().split("=", 1) for part in response["Permissions-Policy"].split(",")
        )
        for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
            assert features[feature] == "()", (path, feature)
