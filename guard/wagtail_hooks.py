"""Admin glue for guard: "Can see readers’ addresses" (guard.permissions) is offered in
Wagtail's group editor, where administrators give it to the roles that need it."""

from django.contrib.auth.models import Permission
from wagtail import hooks

from guard.permissions import SEE_ADDRESSES


@hooks.register("register_permissions")
def readers_addresses_permission():
    app_label, codename = SEE_ADDRESSES.split(".")
    return Permission.objects.filter(content_type__app_label=app_label, codename=codename)
