"""Radio buttons and checkboxes are comfortable taps on a phone (44 x 44 px, WCAG 2.5.5's
size): the report form's reasons, the reply form's email choices and the write-in form's
checkboxes, which share the class `.choice` and its CSS (static/css/site.css)."""

from comments.models import ReplyStatus
from e2e.test_replies import letter  # noqa: F401 - the live server's letter, as there
from testing.letters import add_write_in_page
from testing.replies import store_reply


def choices_are_comfortable_taps(page, label):
    """Every radio button and checkbox on the page at a phone's width: its label, which
    toggles it, is at least 44 x 44 px and starts where its row starts; a tap on the box hits
    the box, a tap at the row's left edge or on the words toggles the same choice."""
    choices = page.locator(".choice")
    assert choices.count() > 0, label
    for index in range(choices.count()):
        choice = choices.nth(index)
        choice.scroll_into_view_if_needed()
        box, words = choice.locator("input"), choice.locator("label")
        name = f"{label}, choice {index + 1} ({words.inner_text()})"
        area, row, mark = words.bounding_box(), choice.bounding_box(), box.bounding_box()
        assert area["height"] >= 44 and area["width"] >= 44, (name, area)
        assert area["x"] <= row["x"] + 1 and area["x"] <= mark["x"], (name, area, mark)
        assert mark["y"] >= area["y"] and mark["y"] + mark["height"] <= area["y"] + area["height"]
        centre = (mark["x"] + mark["width"] / 2, mark["y"] + mark["height"] / 2)
        hit = page.evaluate("([x, y]) => document.elementFromPoint(x, y).id", list(centre))
        assert hit == box.get_attribute("id"), name
        for x, y in (
            (area["x"] + 2, area["y"] + 2),  # the row's top left corner, off the box
            (area["x"] + area["width"] - 4, area["y"] + area["height"] / 2),  # the words' side
        ):
            before = box.is_checked()
            page.mouse.click(x, y)
            if box.get_attribute("type") == "checkbox" or not before:
                assert box.is_checked() is not before, (name, x, y)


def test_radio_buttons_and_checkboxes_are_44_px_taps_on_a_phone(page, letter):  # noqa: F811
    """The report form's reasons (radio buttons) and the reply form's email choices
    (checkboxes); the write-in form's checkboxes share the class (.choice) and its CSS."""
    parent = store_reply(
        letter,
        user_name="Rosa",
        user_email="rosa@example.com",
        comment="Mine came in rouge.",
        status=ReplyStatus.APPROVED,
    )
    page.set_viewport_size({"width": 390, "height": 900})
    assert page.goto(f"/replies/report/{parent.pk}/").status == 200
    choices_are_comfortable_taps(page, "report form")
    assert page.goto(letter.url).status == 200
    choices_are_comfortable_taps(page, "reply form")
    assert page.console.errors == []


def test_the_write_in_forms_checkboxes_are_44_px_taps_on_a_phone(page, letter):  # noqa: F811
    write_in = add_write_in_page(letter.get_parent().specific)
    page.set_viewport_size({"width": 390, "height": 900})
    assert page.goto(write_in.url).status == 200
    choices_are_comfortable_taps(page, "write-in form")
    assert page.console.errors == []
