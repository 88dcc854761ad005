"""The reply form (COMMENTS_XTD_FORM_CLASS) and the report form.

ReplyForm keeps django_comments' security fields (content type, object, signed timestamp,
security hash, honeypot) and xtd's threading field `reply_to`, and adds guard's signed "opened
at" value (`opened`: a page value in a page every reader shares, else one-use); it drops the
URL field (a magnet for spam) and adds "email me when my reply is published".
"""

from django import forms
from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.forms.utils import ErrorDict
from django_comments_xtd.forms import XtdCommentForm

from comments import identities
from comments.models import ReplyReport
from guard import opened as opened_values
from guard import text as text_rules
from guard.forms import SpamDefenceMixin
from guard.mailboxes import AddressField

MAX_LENGTH = getattr(settings, "COMMENT_MAX_LENGTH", 3000)
NAME_MAX_LENGTH = 50  # django_comments' user_name column


def clean_reader_name(name, staff=False):
    """A reply's name as every form stores it, the public form and the desk's edit alike: on
    one line with nothing hidden (guard.text), something visible left, and, unless `staff`
    signs it, not a name of the site's own people (comments.identities)."""
    name = text_rules.clean_name(name)
    if not text_rules.has_visible_text(name):
        raise forms.ValidationError("Please give a name to show with your reply.")
    if not staff and identities.is_reserved(name):
        raise forms.ValidationError(
            "That name belongs to the column or one of its staff. Please choose another "
            "name to sign with: a pen name is fine."
        )
    return name


class ReplyForm(SpamDefenceMixin, XtdCommentForm):
    """A reply to a page. django_comments' form brings the security fields (the page, a
    signed timestamp, a security hash, the honeypot); guard's mixin reads `opened` for its
    typing-time check and its one use. `one_use=False` prints a page value: for a page every
    reader shares, whose post can only lead to the confirm step."""

    notify_on_publish = forms.BooleanField(
        required=False, label="Email me when my reply is published (or if it is not)"
    )
    opened = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, staff=False, one_use=True, **kwargs):
        # Staff sign with their account's name and address (comments.posting sets them).
        self.staff = staff
        self.one_use = one_use
        super().__init__(*args, **kwargs)
        del self.fields["url"]
        # guard's field: an address with an invisible format character is refused, plainly.
        self.fields["email"] = AddressField(max_length=254)
        name, email, text = self.fields["name"], self.fields["email"], self.fields["comment"]
        name.label = "Your name"
        name.help_text = "Shown with your reply. A pen name is fine."
        name.widget = forms.TextInput(
            attrs={"autocomplete": "nickname", "maxlength": NAME_MAX_LENGTH}
        )
        email.label = "Your email"
        email.help_text = "Never shown. We use it only for the emails you ask for below."
        email.widget = forms.EmailInput(attrs={"autocomplete": "email"})
        text.label = "Your reply"
        text.help_text = (
            f"Plain text, up to {MAX_LENGTH:,} characters. Blank lines start new paragraphs; "
            "web addresses become links that show the address; <em>, <strong>, <i> and <b> "
            "make words stand out; any other tag, <a> included, is shown just as you type it."
        )
        text.max_length = MAX_LENGTH
        text.widget = forms.Textarea(
            attrs={"rows": 7, "data-max-length": MAX_LENGTH, "class": "reply-form__text"}
        )
        # CharField strips the text, so an empty or all-blank field fails as "required" before
        # clean_comment()/clean_name() run: their clear messages must be the required ones.
        text.error_messages["required"] = "Please write your reply before sending it."
        name.error_messages["required"] = "Please give a name to show with your reply."
        name.error_messages["max_length"] = (
            "Please shorten your name to %(limit_value)d characters or fewer."
        )
        email.error_messages["required"] = "Please give your email address: it is never shown."
        email.error_messages["invalid"] = (
            "Please check your email address: it should look like name@example.com."
        )
        text.error_messages["max_length"] = (
            "Your reply is %(show_value)d characters long; the limit is %(limit_value)d. "
            "Please shorten it: your text is still here."
        )
        # Follow-ups go only to a confirmed address (comments.notifications): the reader is
        # told here, and the "published" email carries the link.
        self.fields["followup"].label = (
            "Email me when someone else replies to this letter (after I confirm my address "
            "with the link sent when my reply is published)"
        )
        self.fields["followup"].widget.attrs.pop("class", None)
        self.fields["honeypot"].label = "Leave this field empty"
        # Tampered numbers must fail validation, not crash: django_comments subtracts the
        # timestamp from a float (OverflowError past 1e308) and the posting view looks
        # reply_to up in the database (OverflowError past 2**63 - 1).
        self.fields["timestamp"].validators += [MinValueValidator(0), MaxValueValidator(2**53)]
        self.fields["reply_to"].validators += [MinValueValidator(0), MaxValueValidator(2**63 - 1)]

    def generate_security_data(self):
        """django_comments' fresh timestamp and security hash, and guard's "opened at" value
        (the form's `initial`, and what the token endpoint hands the page's script)."""
        data = super().generate_security_data()
        data["opened"] = opened_values.issue(data["timestamp"], one_use=self.one_use)
        return data

    def resend_data(self):
        """The posted data with a fresh timestamp and security hash and a one-use "opened at"
        value that keeps the reader's typing time: the form sent back to be sent again."""
        data = self.data.copy()
        data.pop("csrfmiddlewaretoken", None)
        for name, value in super().generate_security_data().items():
            data[name] = value  # replaced, where QueryDict.update() would add a second value
        data["opened"] = self.renewed_opened()
        return data

    def unchecked(self):
        """Show the data as posted, without validating it: validation may need the database
        (reserved names), which is what just failed. No error shows; returns the form."""
        self._errors = ErrorDict()
        self.cleaned_data = {}
        return self

    def error_summary(self):
        """(field id, message) for every error beside a field the reader sees, in the order
        of the form: what the error summary above the form lists and links."""
        order = ["comment", "name", "email", "followup", "notify_on_publish"]
        return [
            (self[name].id_for_label, error)
            for name in order
            if name in self.fields
            for error in self.errors.get(name, [])
        ]

    def clean_comment(self):
        text = super().clean_comment()
        if not text_rules.has_visible_text(text):
            raise forms.ValidationError("Please write your reply before sending it.")
        return text

    def clean_name(self):
        return clean_reader_name(self.cleaned_data["name"], staff=self.staff)

    def clean(self):
        cleaned = super().clean()
        cleaned["url"] = ""  # django_comments' model field; we do not ask for it
        return cleaned


class ReportForm(forms.ModelForm):
    reason = forms.ChoiceField(
        choices=ReplyReport.REASONS,
        widget=forms.RadioSelect,
        label="What is wrong with it?",
        error_messages={"required": "Please choose what is wrong with the reply."},
    )

    class Meta:
        model = ReplyReport
        fields = ["reason", "note"]
        labels = {"note": "Anything a moderator should know (optional)"}
        widgets = {"note": forms.Textarea(attrs={"rows": 3, "maxlength": 500})}
