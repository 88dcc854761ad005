"""Page types of the advice column."""

from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page


class HomePage(Page):
    """The site root: latest answers, featured guides, topics and the invitation to write in."""

    intro = RichTextField(
        blank=True,
        features=["bold", "italic", "link"],
        help_text="A sentence or two under the site name telling readers what the column is.",
    )

    content_panels = Page.content_panels + [FieldPanel("intro")]

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = []
    max_count = 1

    class Meta:
        verbose_name = "home page"
