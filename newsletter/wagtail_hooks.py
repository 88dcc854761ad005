"""Admin glue: the "Newsletter" menu (newsletter.admin_views), a letter's email preview and
test copy (newsletter.preview: its URLs, and a button in the page's header and in the page
listing's "More" menu), and the newsletter's audit-log actions (newsletter.history)."""

from wagtail import hooks
from wagtail.admin.widgets import Button
from wagtail.snippets.models import register_snippet

from newsletter import history, preview
from newsletter.admin_views import NewsletterGroup

register_snippet(NewsletterGroup)


@hooks.register("register_admin_urls")
def email_preview_urls():
    return preview.urlpatterns


def email_preview_button(page, user, priority):
    if preview.can_preview(page, user):
        yield Button(
            "Email preview", url=preview.preview_url(page), icon_name="mail", priority=priority
        )


@hooks.register("register_page_header_buttons")
def email_preview_header_button(page, user, view_name, next_url=None):
    yield from email_preview_button(page, user, priority=75)


@hooks.register("register_page_listing_more_buttons")
def email_preview_listing_button(page, user, next_url=None):
    yield from email_preview_button(page, user, priority=45)


@hooks.register("register_log_actions")
def register_newsletter_log_actions(actions):
    history.register(actions)
