"""Fixtures the page-cache tests share."""

import pytest


@pytest.fixture
def letter(make_letter):
    return make_letter("Should I keep a bag with a crooked strap?")


@pytest.fixture
def moderator(django_user_model):
    return django_user_model.objects.create_superuser("mod", "mod@example.com", "pw")
