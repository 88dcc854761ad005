"""Letters' and guides' admin form: a bounded number of topics, ticked in a list that stays
fast.

With 10,000 topics on one letter its editor timed out: Django's checkbox list asks, for every
topic, whether it is in the list of ticked ones, a search through that list each time
(10,000 × 10,000 comparisons). The ticked ones are now a set, and a letter takes at most
MAX_TOPICS_PER_LETTER (a guide too)."""

from django import forms
from wagtail.admin.forms import WagtailAdminPageForm

MAX_TOPICS_PER_LETTER = 20


class TopicCheckboxes(forms.CheckboxSelectMultiple):
    """Checkboxes whose "is it ticked?" look-up is a set membership, not a list search."""

    def format_value(self, value):
        return set(super().format_value(value))


class TopicsPageForm(WagtailAdminPageForm):
    def clean_topics(self):
        topics = self.cleaned_data.get("topics")
        count = len(topics) if topics is not None else 0
        if count > MAX_TOPICS_PER_LETTER:
            kind = self.instance._meta.verbose_name
            raise forms.ValidationError(
                f"A {kind} can be filed under at most {MAX_TOPICS_PER_LETTER} topics; "
                f"{count} are ticked. Untick {count - MAX_TOPICS_PER_LETTER} to save it."
            )
        return topics
