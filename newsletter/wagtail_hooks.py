"""Admin glue: the "Newsletter" menu (newsletter.admin_views) and the newsletter's audit-log
actions (newsletter.history)."""

from wagtail import hooks
from wagtail.snippets.models import register_snippet

from newsletter import history
from newsletter.admin_views import NewsletterGroup

register_snippet(NewsletterGroup)


@hooks.register("register_log_actions")
def register_newsletter_log_actions(actions):
    history.register(actions)
