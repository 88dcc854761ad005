"""Admin glue for guard.

"Can see readers’ addresses" (guard.permissions) is offered in Wagtail's group editor, where
administrators give it to the roles that need it.

Rich text that survives a bad link already stored: Wagtail's page, document and image
handlers are replaced by tolerant subclasses (guard.richtext), on the front end and in the
editor, so one crafted id shows as plain text instead of failing the page or its editor."""

from django.contrib.auth.models import Permission
from wagtail import hooks
from wagtail.admin.rich_text.converters.contentstate import link_entity
from wagtail.admin.rich_text.converters.contentstate_models import EntityRange
from wagtail.admin.rich_text.converters.html_to_contentstate import (
    ExternalLinkElementHandler,
    PageLinkElementHandler,
)
from wagtail.documents.rich_text import DocumentLinkHandler
from wagtail.images.rich_text import ImageEmbedHandler
from wagtail.rich_text.pages import PageLinkHandler

from guard.permissions import SEE_ADDRESSES
from guard.richtext import is_valid_id, tolerant


@hooks.register("register_permissions")
def readers_addresses_permission():
    app_label, codename = SEE_ADDRESSES.split(".")
    return Permission.objects.filter(content_type__app_label=app_label, codename=codename)


class _Unlinked(EntityRange):
    """Stands in the open-links stack for a link shown as plain text, so its end tag has
    something to close."""


class TolerantPageLinkElementHandler(PageLinkElementHandler):
    """The editor's reading of a page link: one whose id is not a page number opens as its
    plain text (Wagtail's own looked it up and raised), so saving again drops the link."""

    def handle_starttag(self, name, attrs, state, contentstate):
        if is_valid_id(dict(attrs).get("id")):
            return super().handle_starttag(name, attrs, state, contentstate)
        state.current_entity_ranges.append(_Unlinked(None))

    def handle_endtag(self, name, state, contentstate):
        if isinstance(state.current_entity_ranges[-1], _Unlinked):
            state.current_entity_ranges.pop()
            return
        super().handle_endtag(name, state, contentstate)


# After Wagtail's own registrations (order 0), which these replace.
@hooks.register("register_rich_text_features", order=100)
def register_tolerant_handlers(features):
    for handler in (PageLinkHandler, DocumentLinkHandler):
        features.register_link_type(tolerant(handler))
    features.register_embed_type(tolerant(ImageEmbedHandler))
    features.register_converter_rule(
        "contentstate",
        "link",
        {
            "from_database_format": {
                "a[href]": ExternalLinkElementHandler("LINK"),
                'a[linktype="page"]': TolerantPageLinkElementHandler("LINK"),
            },
            "to_database_format": {"entity_decorators": {"LINK": link_entity}},
        },
    )
