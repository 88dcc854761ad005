from django.conf import settings
from django.urls import include, path, re_path
from django.views.static import serve
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls

from advice import views as advice_views

urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("search/", advice_views.search, name="search"),
    path("healthz", advice_views.healthz, name="healthz"),
    path("robots.txt", advice_views.robots_txt, name="robots_txt"),
    path("sitemap.xml", sitemap, name="sitemap"),
    # Only the reply views we use: never xtd's API, like/dislike/flag, or django_comments'
    # approve/delete views, which would change a reply behind our moderation (DESIGN.md §4a).
    path("replies/", include("comments.urls")),
]

if settings.SERVE_MEDIA:
    # Django's static() helper does nothing with DEBUG off; make run's local
    # production-like mode still has to show the demo images (DESIGN.md §5).
    urlpatterns += [
        re_path(r"^media/(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT}),
    ]

urlpatterns += [
    # Wagtail's page serving catches everything else, so it comes last.
    path("", include(wagtail_urls)),
]

# Our page for every 400; 413 when the body was too large to read (config.views).
handler400 = "config.views.bad_request"
