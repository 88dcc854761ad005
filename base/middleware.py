from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings


class PermissionsPolicyMiddleware:
    """Sends PERMISSIONS_POLICY as the Permissions-Policy header on every response (pages,
    the admin, errors, static files): neither we nor Wagtail use camera, microphone, location,
    payment or USB, so no page, nor anything injected into one, may ask for them. Django has
    no setting for this header."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.header = ", ".join(
            f"{feature}=({' '.join(allowed)})"
            for feature, allowed in settings.PERMISSIONS_POLICY.items()
        )

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", self.header)
        return response


class SiteCSPMiddleware(CSPMiddleware):
    """Strict CSP for public pages, a looser one for the Wagtail admin.

    The admin relies on inline scripts and styles; exempting it would leave it with no policy
    at all, so it gets ADMIN_CONTENT_SECURITY_POLICY instead.
    """

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if not report_only and request.path_info.startswith(settings.ADMIN_URL_PREFIXES):
            return PolicyParts(
                config=settings.ADMIN_CONTENT_SECURITY_POLICY,
                update=parts.update,
                replace=parts.replace,
                nonce=parts.nonce,
            )
        return parts
