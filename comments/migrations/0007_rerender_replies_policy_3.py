"""Re-render every stored reply under the sanitiser's policy 3: a typed <a> is now shown as
typed (its link text could pose as another site); bare web addresses are still links that show
the address. Pages already re-render older replies on the fly (Reply.current_html); this makes
the stored HTML current, as `manage.py rerender_replies` would."""

from django.db import migrations

from comments import sanitize


def rerender(apps, schema_editor):
    Reply = apps.get_model("comments", "Reply")
    stale = Reply.objects.exclude(policy_version=sanitize.POLICY_VERSION).exclude(status="erased")
    for reply in stale.only("pk", "comment").iterator(chunk_size=500):
        html = sanitize.render_reply(reply.comment)
        Reply.objects.filter(pk=reply.pk).update(
            html=html, link_count=html.count("<a "), policy_version=sanitize.POLICY_VERSION
        )


class Migration(migrations.Migration):
    dependencies = [("comments", "0006_spam_defences_to_guard_and_erased_state")]

    operations = [migrations.RunPython(rerender, migrations.RunPython.noop)]
