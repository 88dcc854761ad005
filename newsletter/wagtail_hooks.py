"""Admin glue: the "Newsletter" menu (newsletter.admin_views)."""

from wagtail.snippets.models import register_snippet

from newsletter.admin_views import NewsletterGroup

register_snippet(NewsletterGroup)
