"""Administrators give "Can see readers’ addresses" in Wagtail's group editor."""

from django.contrib.auth.models import Group, Permission
from django.urls import reverse


def test_the_group_editor_offers_the_permission(admin_client):
    group = Group.objects.create(name="Inbox helpers")
    response = admin_client.get(reverse("wagtailusers_groups:edit", args=[group.pk]))
    assert response.status_code == 200
    permission = Permission.objects.get(codename="see_reader_addresses")
    assert f'value="{permission.pk}"' in response.text
    # Wagtail's table: a row for the permission's model ("readers’ addresses"), "Can see".
    assert "readers’ addresses" in response.text.lower()
