"""The site's navigation links the column's write-in page: a fragment of advice's
"navigation" slot (registered in MailbagConfig.ready()), drawn after the site's sections with
the column the page belongs to (advice_tags.nav_column)."""

from django.utils.html import format_html
from django.utils.safestring import mark_safe

from mailbag.models import write_to


def write_in_nav_link(context, column):
    """ "Write to <column>" as an item of the site's navigation; nothing when the column has
    no live write-in page. The column's page was read with it, so this costs no query where
    the column's own templates link it too."""
    write_in = column.write_in_page
    if write_in is None or not write_in.live:
        return ""
    page = context.get("page")
    return format_html(
        '<li class="site-nav__write-in"><a href="{}"{}>{}</a></li>',
        write_in.get_url(context.get("request")),
        mark_safe(' aria-current="page"') if getattr(page, "pk", None) == write_in.pk else "",
        write_to(column),
    )
