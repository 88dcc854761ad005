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
