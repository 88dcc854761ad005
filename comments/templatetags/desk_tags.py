"""Template tags for the moderation desk in the admin."""

from django import template
from django.urls import reverse
from wagtail.admin.widgets.button import Button, ButtonWithDropdown, ListingButton

from comments.desk.bulk_actions import BULK_ACTIONS

register = template.Library()


def _url(action):
    return reverse("wagtail_bulk_action", args=["comments", "reply", action.action_type])


@register.inclusion_tag("wagtailadmin/shared/buttons.html")
def desk_bulk_action_choices():
    """The desk's bulk actions as Wagtail draws them (four buttons, the rest under "More"),
    without the "Delete" Wagtail offers for every snippet."""
    actions = sorted(BULK_ACTIONS, key=lambda action: action.action_priority)
    attrs = {"data-bulk-action-button": ""}
    buttons = [
        ListingButton(
            action.display_name,
            _url(action),
            attrs={"aria-label": action.aria_label, **attrs},
            priority=action.action_priority,
            classname=" ".join(action.classes | {"bulk-action-btn"}),
        )
        for action in actions[:4]
    ]
    if actions[4:]:
        buttons.append(
            ButtonWithDropdown(
                label="More",
                attrs={"title": "More bulk actions"},
                classname="button button-secondary button-small",
                buttons=[
                    Button(
                        label=action.display_name,
                        url=_url(action),
                        attrs={"aria-label": action.aria_label, **attrs},
                        priority=action.action_priority,
                    )
                    for action in actions[4:]
                ],
            )
        )
    return {"buttons": buttons}
