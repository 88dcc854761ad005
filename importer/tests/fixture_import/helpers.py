"""Reading back what the fixture's import made, by WordPress id."""

from importer.models import ImportedComment, ImportedPost


def letter(number):
    return ImportedPost.objects.get(wp_id=number).page


def reply(number):
    return ImportedComment.objects.get(wp_id=number).reply


def answer_types(page):
    return [block.block_type for block in page.answer]
