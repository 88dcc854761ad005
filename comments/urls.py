"""The reply URLs we route: our posting view and pages, and xtd's follow-up mute links.

Deliberately not `include("django_comments_xtd.urls")`: that also routes xtd's API,
like/dislike/flag and django_comments' approve/delete views (DESIGN.md §4a).
"""

from django.urls import path, re_path, register_converter
from django_comments_xtd import views as xtd_views

from comments import views
from comments.converters import ReplyIdConverter

register_converter(ReplyIdConverter, "reply_id")

urlpatterns = [
    path("post/", views.post_reply, name="comments-post-comment"),
    path("posted/<str:token>/", views.reply_posted, name="comments-posted"),
    path("reply/<reply_id:reply_id>/", views.reply_to, name="comments-reply-to"),
    path("report/<reply_id:reply_id>/", views.report_reply, name="comments-report"),
    path("confirm-email/<str:token>/", views.confirm_email, name="comments-confirm-email"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="comments-unsubscribe"),
    path("moderator-emails/<str:token>/", views.moderator_mute, name="comments-moderator-mute"),
    re_path(r"^mute/(?P<key>[^/]+)/$", xtd_views.mute, name="comments-xtd-mute"),
]
