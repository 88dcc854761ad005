"""StreamField blocks for answers and guides: few, so every page stays consistent."""

from wagtail import blocks
from wagtail.images.blocks import ImageBlock

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
    """The columnist's answer: paragraphs, pull quotes and pictures."""

    paragraph = blocks.RichTextBlock(features=INLINE_FEATURES + ["ol", "ul"], icon="pilcrow")
    pull_quote = PullQuoteBlock()
    image = FigureBlock()

    class Meta:
        min_num = 1


class GuideBodyBlock(AnswerBlock):
    """A guide: the answer's blocks plus section headings."""

    heading = blocks.CharBlock(
        form_classname="title", icon="title", template="blocks/heading_block.html"
    )

    class Meta:
        min_num = 1
