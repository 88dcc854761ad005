import pytest
from django.core.management import call_command

from comments import sanitize
from comments.models import Reply


@pytest.mark.django_db
def test_rerender_replies_rebuilds_html_made_under_an_older_policy(make_letter, capsys):
    letter = make_letter()
    reply = Reply.objects.create(
        content_object=letter,
        site_id=1,
        user_name="Ann",
        user_email="ann@example.com",
        comment="See https://example.org/bags",
        status=Reply.Status.APPROVED,
    )
    Reply.objects.filter(pk=reply.pk).update(html="<p>stale</p>", policy_version=0)
    call_command("rerender_replies")
    reply.refresh_from_db()
    assert reply.policy_version == sanitize.POLICY_VERSION
    assert 'href="https://example.org/bags"' in reply.html
    assert "Re-rendered 1 reply." in capsys.readouterr().out
    call_command("rerender_replies")
    assert "Re-rendered 0 replies." in capsys.readouterr().out


@pytest.mark.django_db
def test_the_policy_3_migration_shows_typed_links_as_typed(make_letter):
    """A reply stored under policy 2, whose typed <a> was a live link with chosen text, is
    re-rendered by migration 0007: the tag is shown as typed."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    letter = make_letter()
    reply = Reply.objects.create(
        content_object=letter,
        site_id=1,
        user_name="Ann",
        user_email="ann@example.com",
        comment='<a href="http://evil.example">https://bank.example</a>',
        status=Reply.Status.APPROVED,
    )
    Reply.objects.filter(pk=reply.pk).update(
        html='<p><a href="http://evil.example" rel="nofollow ugc noopener">'
        "https://bank.example</a></p>",
        policy_version=2,
        link_count=1,
    )
    executor = MigrationExecutor(connection)
    migration = executor.loader.get_migration("comments", "0007_rerender_replies_policy_3")
    state = executor.loader.project_state(("comments", "0007_rerender_replies_policy_3"))
    migration.operations[0].code(state.apps, None)
    reply.refresh_from_db()
    assert reply.policy_version == sanitize.POLICY_VERSION == 3
    assert reply.html.startswith("<p>&lt;a href=")
    assert reply.link_count == 2  # both addresses, each showing itself
