"""The subscribe form: guard's honeypot and signed "opened at" time, the address, the columns
(checkboxes of the live columns) and the cadence. The words a reader agrees to are
CONSENT_TEXT, stored with each Consent as shown."""

from django import forms

from advice.models import AdviceIndexPage
from guard.forms import GuardedForm
from guard.mailboxes import AddressField
from newsletter.models import Cadence

CONSENT_TEXT = (
    "We will email you the columns you chose, as you chose, until you unsubscribe (a link in "
    "every email). We send nothing until you confirm your address, and never share it."
)


def live_columns():
    return list(AdviceIndexPage.objects.live().public().order_by("path"))


class SubscribeForm(GuardedForm):
    email = AddressField(
        label="Your email address",
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={
            "required": "Please give your email address.",
            "invalid": "Please check your email address: it should look like name@example.com.",
        },
    )
    columns = forms.ModelMultipleChoiceField(
        label="Which columns",
        queryset=AdviceIndexPage.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": "Please choose at least one column.",
            "invalid_choice": "Please choose among the columns listed.",
            "invalid_pk_value": "Please choose among the columns listed.",
        },
    )
    cadence = forms.ChoiceField(
        label="How often",
        choices=Cadence.choices,
        initial=Cadence.EACH,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Please choose how often.",
            "invalid_choice": "Please choose how often.",
        },
    )
    source = forms.CharField(required=False, max_length=500, widget=forms.HiddenInput)

    field_order = ["email", "columns", "cadence"]

    def __init__(self, *args, columns=None, **kwargs):
        # Ids of their own: a letter page holds the reply form's fields too.
        kwargs.setdefault("auto_id", "subscribe_%s")
        super().__init__(*args, **kwargs)
        self.column_list = live_columns() if columns is None else list(columns)
        field = self.fields["columns"]
        field.queryset = AdviceIndexPage.objects.filter(pk__in=[c.pk for c in self.column_list])
        field.choices = [(c.pk, c.title) for c in self.column_list]
        if len(self.column_list) == 1 and not self.is_bound:
            field.initial = [self.column_list[0].pk]

    consent_text = CONSENT_TEXT

    def clean_source(self):
        source = self.cleaned_data.get("source") or ""
        return source if source.startswith("/") and not source.startswith("//") else ""

    def error_summary(self):
        return [
            (self[name].id_for_label, error)
            for name in self.field_order
            for error in self.errors.get(name, [])
        ]

    def fresh(self):
        data = self.data.copy()
        data.pop("csrfmiddlewaretoken", None)
        data[self.add_prefix("opened")] = self.renewed_opened()
        return SubscribeForm(data=data, columns=self.column_list)
