"""StreamField blocks for answers and guides: few, so every page stays consistent."""

from wagtail import blocks
from wagtail.images.blocks import ImageBlock

from guard.richtext import validate_rich_text

INLINE_FEATURES = ["bold", "italic", "link"]


class PullQuoteBlock(blocks.StructBlock):
    quote = blocks.TextBlock(help_text="A sentence worth repeating in large type.")
    attribution = blocks.CharBlock(required=False, help_text="Optional: who said it.")

    class Meta:
        icon = "openquote"
        template = "blocks/pull_quote_block.html"


class FigureBlock(blocks.StructBlock):
    image = ImageBlock(
        help_text="Describe the picture in the alt text for readers who cannot see it."
    )
    caption = blocks.CharBlock(required=False)

    class Meta:
        icon = "image"
        template = "blocks/figure_block.html"


class AnswerBlock(blocks.StreamBlock):
    """The columnist's answer: paragraphs, pull quotes, pictures and, in a long answer, a
    subheading (answers brought from WordPress keep theirs). The answer sits under the page's
    "The answer" heading, so its subheadings are one level below it."""

    paragraph = blocks.RichTextBlock(
        features=INLINE_FEATURES + ["ol", "ul"], validators=[validate_rich_text], icon="pilcrow"
    )
    pull_quote = PullQuoteBlock()
    image = FigureBlock()
    heading = blocks.CharBlock(
        form_classname="title", icon="title", template="blocks/answer_heading_block.html"
    )

    class Meta:
        min_num = 1


class GuideBodyBlock(AnswerBlock):
    """A guide: the answer's blocks, its section headings at the top level of the page."""

    heading = blocks.CharBlock(
        form_classname="title", icon="title", template="blocks/heading_block.html"
    )

    class Meta:
        min_num = 1
