"""The reply URLs we route: posting, the "posted" page and xtd's follow-up mute links.

Deliberately not `include("django_comments_xtd.urls")` (DESIGN.md §4a).
"""

from django.urls import path, re_path
from django_comments.views.comments import comment_done, post_comment
from django_comments_xtd import views as xtd_views

urlpatterns = [
    path("post/", post_comment, name="comments-post-comment"),
    path("posted/", comment_done, name="comments-comment-done"),
    path("sent/", xtd_views.sent, name="comments-xtd-sent"),
    re_path(r"^mute/(?P<key>[^/]+)/$", xtd_views.mute, name="comments-xtd-mute"),
]
