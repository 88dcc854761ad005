from django.apps import AppConfig


class BaseConfig(AppConfig):
    """What every site needs and no column knows about: the health checks (/healthz and its
    diagnostics, with the HealthProbe table), robots.txt, the media route for images, the
    sign-in lockout page, the error pages, the security-header and request-charset
    middleware, and `manage.py ensure_admin`.

    It sits at the bottom of the house: it imports none of our apps. An app that wants its
    state in the diagnostics registers a check from its own ready() (base.health.register),
    as outbox does for the email queue and its worker."""

    name = "base"
    verbose_name = "Site base"
    default_auto_field = "django.db.models.BigAutoField"
