"""EmailMessage ⇄ JSON, because a task's arguments are stored as JSON. Everything Django's
messages carry survives the trip: addresses, headers, alternatives (HTML parts) and
attachments (bytes as base64)."""

import base64
from email.mime.base import MIMEBase

from django.core.mail import EmailMultiAlternatives
from django.core.mail.message import EmailAttachment


def _content(value):
    if isinstance(value, bytes):
        return {"base64": base64.b64encode(value).decode("ascii")}
    return str(value)


def _uncontent(value):
    if isinstance(value, dict):
        return base64.b64decode(value["base64"])
    return value


def _attachment(attachment):
    if isinstance(attachment, MIMEBase):  # attached as a ready-made MIME part
        payload = attachment.get_payload(decode=True)
        if payload is None:
            raise TypeError("A multipart MIME attachment cannot be queued.")
        return [attachment.get_filename(), _content(payload), attachment.get_content_type()]
    filename, content, mimetype = attachment
    return [filename, _content(content), mimetype]


def encode(message):
    """A JSON-ready dict of `message` (an EmailMessage or EmailMultiAlternatives)."""
    return {
        "subject": str(message.subject),
        "body": str(message.body),
        "from_email": str(message.from_email),
        "to": [str(address) for address in message.to],
        "cc": [str(address) for address in message.cc],
        "bcc": [str(address) for address in message.bcc],
        "reply_to": [str(address) for address in message.reply_to],
        "headers": {str(name): str(value) for name, value in message.extra_headers.items()},
        "alternatives": [
            [_content(content), mimetype]
            for content, mimetype in getattr(message, "alternatives", [])
        ],
        "attachments": [_attachment(attachment) for attachment in message.attachments],
        "content_subtype": message.content_subtype,
        "mixed_subtype": message.mixed_subtype,
        "encoding": str(message.encoding) if message.encoding else None,
    }


def decode(data):
    """The message `encode()` stored, ready for any email backend."""
    message = EmailMultiAlternatives(
        subject=data["subject"],
        body=data["body"],
        from_email=data["from_email"],
        to=data["to"],
        cc=data["cc"],
        bcc=data["bcc"],
        reply_to=data["reply_to"],
        headers=data["headers"],
        alternatives=[
            (_uncontent(content), mimetype) for content, mimetype in data["alternatives"]
        ],
    )
    message.attachments = [
        EmailAttachment(filename, _uncontent(content), mimetype)
        for filename, content, mimetype in data["attachments"]
    ]
    message.content_subtype = data["content_subtype"]
    message.mixed_subtype = data["mixed_subtype"]
    message.encoding = data["encoding"]
    return message
