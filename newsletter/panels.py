"""The email cut in the letter's editor: an inline panel of `EmailCut` (at most one), given to
the column's "email" form slot (advice.plugins.register_form_panel) from NewsletterConfig.ready().

An edit form posted without the cut's fields (a client that knows only the column's own
fields) leaves the cut as it was instead of refusing the whole form: the relation's formset
then reads as empty, and an empty child formset keeps the children it was not told about."""

from modelcluster.forms import BaseChildFormSet
from wagtail.admin.panels import InlinePanel


class KeptWhenAbsentFormSet(BaseChildFormSet):
    def __init__(self, data=None, *args, **kwargs):
        super().__init__(data, *args, **kwargs)
        total = f"{self.prefix}-TOTAL_FORMS"
        if self.is_bound and total not in self.data:
            data = self.data.copy()
            data[total] = "0"
            data[f"{self.prefix}-INITIAL_FORMS"] = "0"
            self.data = data


class EmailCutPanel(InlinePanel):
    def get_form_options(self):
        options = super().get_form_options()
        options["formsets"][self.relation_name]["formset"] = KeptWhenAbsentFormSet
        return options


HEADING = "Email to subscribers"

# One instance, so registering it again (ready() may run twice in tests) adds nothing.
EMAIL_CUT_PANEL = EmailCutPanel(
    "newsletter_email_cut",
    label="email cut",
    min_num=0,
    max_num=1,
    help_text="Subscribers’ email carries the letter and the whole answer. Add a cut to end "
    "it after a paragraph of the answer, with “Read on”. Saved with the draft; the email sent "
    "out uses what is published.",
)
