"""Who may see readers' email addresses: holders of "Can see readers’ addresses"
(guard.models.ReaderAddresses; superusers hold every permission). The reply desk, the inbox,
its exports and the moderators' emails all ask this one question; without it they show names,
dates and text, never an address."""

from django.contrib.auth import get_user_model
from django.db.models import Q

SEE_ADDRESSES = "guard.see_reader_addresses"


def can_see_addresses(user):
    return bool(user and user.is_active and user.has_perm(SEE_ADDRESSES))


def holders():
    """Active users who may see readers' addresses, in one query (the permission is joined):
    for emails sent to many staff at once, where asking each user costs queries."""
    app_label, codename = SEE_ADDRESSES.split(".")
    perm = {"codename": codename, "content_type__app_label": app_label}
    held = (
        Q(is_superuser=True)
        | Q(**{f"groups__permissions__{name}": value for name, value in perm.items()})
        | Q(**{f"user_permissions__{name}": value for name, value in perm.items()})
    )
    return get_user_model().objects.filter(held, is_active=True).distinct()
