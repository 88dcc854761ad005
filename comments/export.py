"""A reader's data, for a privacy request beside erasure: everything one email address wrote
to the site, as one JSON document the desk downloads (comments.desk.views.EraseView, step
"export"). Replies and the address's confirmation record are ours; the apps that hold more
(reader letters, newsletter subscriptions and consents) add theirs through
comments.signals.reader_export_requested, so comments names none of them."""

from django.contrib.contenttypes.models import ContentType
from django.http import JsonResponse
from django.utils import timezone

from comments.models import ReaderEmail, Reply
from comments.signals import reader_export_requested


def when(value):
    return value.isoformat() if value else None


def _reply(reply, targets):
    target = targets.get((reply.content_type_id, reply.object_pk))
    return {
        "id": reply.pk,
        "written_at": when(reply.submit_date),
        "status": reply.get_status_display(),
        "name": reply.user_name,
        "email": reply.user_email,
        "website": reply.user_url,
        "text": reply.comment,
        "under": getattr(target, "title", None),
        "address": target.get_full_url() + f"#reply-{reply.pk}"
        if target is not None and hasattr(target, "get_full_url")
        else None,
        "email_me_replies": reply.followup,
    }


def _targets(replies):
    """{(content type id, object pk): the object} for every reply's letter, one query a type."""
    by_type = {}
    for reply in replies:
        by_type.setdefault(reply.content_type_id, set()).add(reply.object_pk)
    found = {}
    for type_id, pks in by_type.items():
        model = ContentType.objects.get_for_id(type_id).model_class()
        if model is None:
            continue
        for obj in model._default_manager.filter(pk__in=pks):
            found[(type_id, str(obj.pk))] = obj
    return found


def export_reader(email, user):
    """{"address", "exported_at", "replies", "address_confirmation", …what other apps add}."""
    email = ReaderEmail.normalise(email)
    replies = list(Reply.objects.filter(user_email__iexact=email).order_by("submit_date"))
    targets = _targets(replies)
    data = {
        "address": email,
        "exported_at": when(timezone.now()),
        "replies": [_reply(reply, targets) for reply in replies],
        "address_confirmation": [
            {"confirmed_at": when(record.confirmed_at)}
            for record in ReaderEmail.objects.filter(email=email)
        ],
    }
    for _receiver, answer in reader_export_requested.send(sender=Reply, email=email, user=user):
        if answer:
            name, records = answer
            data[name] = records
    return data


def export_response(email, user):
    """Everything the address wrote, as a JSON file to download, never kept by a cache."""
    data = export_reader(email, user)
    response = JsonResponse(data, json_dumps_params={"indent": 2, "ensure_ascii": False})
    response["Content-Disposition"] = 'attachment; filename="reader-data.json"'
    response["Cache-Control"] = "no-store"
    return response
