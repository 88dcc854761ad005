import datetime

from django import forms
from django.utils import timezone
from wagtail.admin.forms import WagtailAdminModelForm

from comments.forms import clean_reader_name
from comments.models import RejectionReason
from guard import text as text_rules
from guard.models import BlockedSender

EXPIRY_CHOICES = [
    ("1", "for a day"),
    ("7", "for a week"),
    ("30", "for 30 days"),
    ("365", "for a year"),
    ("", "until removed"),
]


class RejectForm(forms.Form):
    """A reason from the editors' list, free text, or both: the author's email quotes it."""

    reason_choice = forms.ModelChoiceField(
        queryset=RejectionReason.objects.all(),
        required=False,
        label="Reason",
        empty_label="Choose a reason…",
        to_field_name="text",
    )
    reason_text = forms.CharField(
        required=False,
        max_length=1000,
        label="In your own words (optional with a reason above)",
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def clean(self):
        data = super().clean()
        parts = [str(data.get("reason_choice") or ""), (data.get("reason_text") or "").strip()]
        data["reason"] = " ".join(part for part in parts if part)
        if not data["reason"]:
            raise forms.ValidationError(
                "Give a reason: the author is told why their reply was rejected."
            )
        return data


class BlockForm(forms.Form):
    kind = forms.ChoiceField(choices=BlockedSender.KIND_CHOICES, widget=forms.HiddenInput)
    action = forms.ChoiceField(choices=BlockedSender.ACTION_CHOICES, label="What to do")
    expires = forms.ChoiceField(choices=EXPIRY_CHOICES, required=False, label="How long")
    reason = forms.CharField(max_length=200, required=False, label="Note for other moderators")

    def expires_at(self):
        days = self.cleaned_data.get("expires")
        if not days:
            return None
        return timezone.now() + datetime.timedelta(days=int(days))


class EraseForm(forms.Form):
    email = forms.EmailField(label="The reader’s email address")
    confirm = forms.BooleanField(
        required=False,
        label="I have checked the list above: erase all of it",
    )


class ReplyEditForm(WagtailAdminModelForm):
    """The desk's correction of a reply (say, to cut out a phone number): its name is cleaned
    as the public form cleans it, so a moderator's edit cannot store a hidden character, an
    empty-looking name or a staff name on a reader's reply; its text must still show."""

    def clean_user_name(self):
        staff = self.instance.author_badge in ("columnist", "editor")
        return clean_reader_name(self.cleaned_data["user_name"], staff=staff)

    def clean_comment(self):
        text = self.cleaned_data["comment"]
        if not text_rules.has_visible_text(text):
            raise forms.ValidationError("A reply needs visible text: to remove it, reject it.")
        return text
