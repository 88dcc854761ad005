"""The reader's letter form: guard's honeypot and signed "opened at" time, the letter, the pen
name, a topic, the email address (never published), whether to be told, and consent.

The topics offered are the column's (WriteInPage.column_topics), given as `topics`: a topic
posted from elsewhere is refused, and with none the form asks for no topic."""

from django import forms

from advice.models import Topic
from guard.forms import GuardedForm
from guard.mailboxes import AddressField
from guard.text import clean_name, has_visible_text

MAX_LENGTH = 5000
PEN_NAME_LENGTH = 60


class LetterForm(GuardedForm):
    letter = forms.CharField(
        label="Your letter",
        max_length=MAX_LENGTH,
        strip=False,
        help_text=f"Up to {MAX_LENGTH:,} characters, plain text. Tell us what happened and what "
        "you would like to know. Please leave out anything that would identify you or anyone "
        "else.",
        widget=forms.Textarea(attrs={"rows": 12, "data-max-length": MAX_LENGTH}),
        error_messages={
            "required": "Please write your letter before sending it.",
            "max_length": "Your letter is %(show_value)d characters long; the limit is "
            "%(limit_value)d. Please shorten it: your text is still here.",
        },
    )
    pen_name = forms.CharField(
        label="Sign it with a pen name",
        max_length=PEN_NAME_LENGTH,
        help_text="Published with your letter instead of your name, e.g. “Second Guesser”.",
        widget=forms.TextInput(attrs={"autocomplete": "off", "maxlength": PEN_NAME_LENGTH}),
        error_messages={
            "required": "Please choose a pen name to sign your letter with.",
            "max_length": "Please shorten your pen name to %(limit_value)d characters or fewer.",
        },
    )
    topic = forms.ModelChoiceField(
        label="What is it about? (optional)",
        queryset=Topic.objects.none(),
        required=False,
        empty_label="I’m not sure",
        error_messages={"invalid_choice": "Please choose one of the topics listed."},
    )
    email = AddressField(
        label="Your email address",
        max_length=254,
        help_text="Never published or shared. We use it only to write to you about this letter.",
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={
            "required": "Please give your email address: it is never published.",
            "invalid": "Please check your email address: it should look like name@example.com.",
        },
    )
    notify_on_answer = forms.BooleanField(
        label="Email me once if my letter is answered, with the link to the answer",
        required=False,
    )
    consent = forms.BooleanField(
        label="I agree that my letter may be edited and published under my pen name",
        error_messages={
            "required": "Please tick the box to agree: we can publish only letters whose writers "
            "agree."
        },
    )

    field_order = ["letter", "pen_name", "topic", "email", "notify_on_answer", "consent"]

    def __init__(self, *args, topics=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.topics = list(topics)
        if not self.topics:
            del self.fields["topic"]  # the column has no topics yet: nothing to choose
            return
        field = self.fields["topic"]
        # Offered from the list already read; a posted value must be one of them.
        field.queryset = Topic.objects.filter(pk__in=[topic.pk for topic in self.topics])
        field.choices = [("", field.empty_label)] + [(t.pk, t.name) for t in self.topics]

    def clean_letter(self):
        text = self.cleaned_data["letter"]
        if not has_visible_text(text):
            raise forms.ValidationError("Please write your letter before sending it.")
        return text.strip("\r\n")

    def clean_pen_name(self):
        name = clean_name(self.cleaned_data["pen_name"])
        if not has_visible_text(name):
            raise forms.ValidationError("Please choose a pen name to sign your letter with.")
        return name

    def error_summary(self):
        """(field id, message) for every error beside a visible field, in the form's order."""
        return [
            (self[name].id_for_label, error)
            for name in self.field_order
            for error in self.errors.get(name, [])
        ]

    def fresh(self):
        """The same data with a new one-use "opened at" value that keeps the reader's typing
        time (guard.opened.renew): they can send it again."""
        data = self.data.copy()
        data.pop("csrfmiddlewaretoken", None)
        data[self.add_prefix("opened")] = self.renewed_opened()
        return LetterForm(data=data, topics=self.topics)
