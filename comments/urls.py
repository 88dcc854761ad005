"""The reply URLs we route: our posting view and pages, and the links in our emails.

Deliberately not `include("django_comments_xtd.urls")`: that also routes xtd's API,
like/dislike/flag and django_comments' approve/delete views. xtd's mute link
(`mute/<key>/`, in follow-up emails xtd sent until 30 November 2026, when ours replaced them)
stopped emails on a GET, which mail scanners make: it now only says the link is old, and points
to the links in our emails, which ask, then POST.
"""

from django.urls import path, register_converter
from django.views.generic import TemplateView

from comments import email_links, views
from comments.converters import ReplyIdConverter

register_converter(ReplyIdConverter, "reply_id")

urlpatterns = [
    path("post/", views.post_reply, name="comments-post-comment"),
    path("posted/<str:token>/", views.reply_posted, name="comments-posted"),
    path("fresh/", views.reply_fresh, name="comments-reply-fresh"),
    path("yours/<int:page_id>/", views.own_held_replies, name="comments-own-held"),
    path("as/<str:token>/", views.reply_pass, name="comments-reply-pass"),
    path("<reply_id:reply_id>/", views.reply_permalink, name="comments-reply"),
    path("reply/<reply_id:reply_id>/", views.reply_to, name="comments-reply-to"),
    path("report/<reply_id:reply_id>/", views.report_reply, name="comments-report"),
    path("confirm-email/<str:token>/", email_links.confirm_email, name="comments-confirm-email"),
    path("unsubscribe/<str:token>/", email_links.unsubscribe, name="comments-unsubscribe"),
    path(
        "moderator-emails/<str:token>/", email_links.moderator_mute, name="comments-moderator-mute"
    ),
    # Kept on purpose for links in mail already delivered; drop after 31 May 2027 (six months
    # after the last such email), with its test in comments/tests.
    path(
        "mute/<str:key>/",
        TemplateView.as_view(
            template_name="comments/message.html",
            extra_context={
                "title": "This link is from an older email",
                "message": "It changes nothing now. Every email we send about a discussion "
                "ends with a link that stops them, after asking you to confirm.",
            },
        ),
        name="comments-old-mute",
    ),
]
