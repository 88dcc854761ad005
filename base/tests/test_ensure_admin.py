import re

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.core.management import call_command
from django.test import RequestFactory


def sign_in(username, password):
    """authenticate() as the login form calls it: django-axes needs the request."""
    return authenticate(
        RequestFactory().post("/admin/login/"), username=username, password=password
    )


@pytest.fixture
def no_superuser_env(monkeypatch):
    for name in (
        "DJANGO_SUPERUSER_USERNAME",
        "DJANGO_SUPERUSER_PASSWORD",
        "DJANGO_SUPERUSER_EMAIL",
    ):
        monkeypatch.delenv(name, raising=False)


@pytest.mark.django_db
def test_generated_password_is_printed_once_and_works(no_superuser_env, capsys):
    call_command("ensure_admin")
    first = capsys.readouterr().out
    password = re.search(r"with password: (\S+)", first).group(1)
    assert sign_in("admin", password).is_superuser

    call_command("ensure_admin")
    second = capsys.readouterr().out
    assert password not in second
    assert "already exists" in second
    assert get_user_model().objects.count() == 1


@pytest.mark.django_db
def test_administrator_from_environment(no_superuser_env, monkeypatch, capsys):
    monkeypatch.setenv("DJANGO_SUPERUSER_USERNAME", "editor-in-chief")
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "a long demo passphrase")
    monkeypatch.setenv("DJANGO_SUPERUSER_EMAIL", "chief@example.com")
    call_command("ensure_admin")
    call_command("ensure_admin")
    user = sign_in("editor-in-chief", "a long demo passphrase")
    assert user.is_superuser and user.email == "chief@example.com"
    assert get_user_model().objects.count() == 1
    assert "a long demo passphrase" not in capsys.readouterr().out
