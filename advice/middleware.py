from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings


class SiteCSPMiddleware(CSPMiddleware):
    """Strict CSP for public pages, a looser one for the Wagtail admin.

    The admin relies on inline scripts and styles; exempting it would leave it with no policy
    at all, so it gets ADMIN_CONTENT_SECURITY_POLICY instead (DESIGN.md §4a).
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
