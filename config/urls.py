from django.conf import settings
from django.urls import include, path, re_path
from wagtail import urls as wagtail_urls
from wagtail import views as wagtail_views
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls
from wagtail.documents.views import serve as wagtaildocs_serve

from advice import sitemaps
from advice import views as advice_views
from base import health
from base import views as base_views
from guard.passwords import throttle_document_password, throttle_page_password

urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    # Wagtail's password forms for restricted documents and pages, rate-limited per client
    # address (guard.passwords); Wagtail's own routes for them come later and are never hit.
    path(
        "documents/authenticate_with_password/<int:restriction_id>/",
        throttle_document_password(wagtaildocs_serve.authenticate_with_password),
        name="wagtaildocs_authenticate_with_password",
    ),
    path(
        "_util/authenticate_with_password/<int:page_view_restriction_id>/<int:page_id>/",
        throttle_page_password(wagtail_views.authenticate_with_password),
        name="wagtailcore_authenticate_with_password",
    ),
    path("documents/", include(wagtaildocs_urls)),
    path("search/", advice_views.search, name="search"),
    # Liveness for load balancers; diagnostics for the people who run the site (base.health).
    path("healthz", health.healthz, name="healthz"),
    path("healthz/diagnostics", health.diagnostics, name="healthz-diagnostics"),
    path("robots.txt", base_views.robots_txt, name="robots_txt"),
    # A sitemap index and its sections (letters in pages), cached (advice.sitemaps).
    path(
        "sitemap.xml",
        sitemaps.index,
        {"sitemaps": sitemaps.SECTIONS, "sitemap_url_name": "sitemap_section"},
        name="sitemap",
    ),
    path(
        "sitemap-<slug:section>.xml",
        sitemaps.section,
        {"sitemaps": sitemaps.SECTIONS},
        name="sitemap_section",
    ),
    # Only the reply views we use: never xtd's API, like/dislike/flag, or django_comments'
    # approve/delete views, which would change a reply behind our moderation.
    path("replies/", include("comments.urls")),
    # Reader letters are posted here (the form lives on a Wagtail page, mailbag.WriteInPage).
    path("letters/", include("mailbag.urls")),
    # Letters by email: subscribe, confirm, unsubscribe (newsletter/, docs/newsletter.md).
    path("newsletter/", include("newsletter.urls")),
]

if settings.SERVE_MEDIA:
    # Django's static() helper does nothing with DEBUG off; make run's local
    # production-like mode still has to show the demo images. Images and
    # renditions only: documents go through /documents/, which checks collection privacy.
    urlpatterns += [
        re_path(r"^media/(?P<path>.*)$", base_views.image_media, name="image_media"),
    ]

if settings.ANYMAIL.get("WEBHOOK_SECRET"):
    # The mail provider's tracking webhooks (bounces, complaints: newsletter.webhooks), behind
    # HTTP basic auth; never mounted without a secret (anymail would take unsigned calls).
    urlpatterns += [path("anymail/", include("anymail.urls"))]

urlpatterns += [
    # Wagtail's page serving catches everything else, so it comes last: its own view, after
    # the site is found (advice.views.serve), under Wagtail's name for it.
    path("", include([p for p in wagtail_urls.urlpatterns if p.name != "wagtail_serve"])),
    re_path(wagtail_urls.serve_pattern, advice_views.serve, name="wagtail_serve"),
]

# Our page for every 400; 413 when the body was too large to read (base.views).
handler400 = "base.views.bad_request"
# 503 when the database is what failed; our 500 page otherwise (base.views).
handler500 = "base.views.server_error"
