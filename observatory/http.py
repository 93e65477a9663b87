"""What the site accepts from the network: the client's address behind trusted proxies, hostile input refused with a
400 in one place for every URL, and request bodies refused before they are read when they are too large."""

import logging

from django.conf import settings
from django.http import HttpResponse, HttpResponseBadRequest, JsonResponse
from django.template.defaultfilters import filesizeformat
from django.template.loader import render_to_string
from rest_framework.throttling import AnonRateThrottle

security_logger = logging.getLogger("django.security.HostileInput")


def client_ip(request) -> str:
    """The address of the visitor: the one the last of TRUSTED_PROXIES proxies saw, or the peer's without proxy.

    Each proxy appends the address it received the request from to X-Forwarded-For, so only the last
    TRUSTED_PROXIES entries can be believed; the ones before them are whatever the client chose to send.
    """
    remote = request.META.get("REMOTE_ADDR", "")
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if settings.TRUSTED_PROXIES == 0 or not forwarded:
        return remote
    return forwarded[-min(settings.TRUSTED_PROXIES, len(forwarded))]


class ClientAddressThrottle(AnonRateThrottle):
    """The API's anonymous rate limit, per client address (rotating X-Forwarded-For does not reset it)."""

    def get_ident(self, request) -> str:
        return client_ip(request)


API_PREFIX = "/api/"
REFUSED_INPUT = "Requête refusée : l'adresse, un paramètre ou un cookie contient un caractère nul."


class HostileInputMiddleware:
    """A NUL character can reach no view, form, query or cookie lookup: PostgreSQL refuses it in any text, which
    would turn a visitor's typo or probe into a server error. Every URL gets a 400: the API's in JSON, as its schema
    says (``document_refused_input``), the site's as a French page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        query = request.META.get("QUERY_STRING", "")
        if (
            "\x00" in request.path_info
            or "%00" in query
            or "\x00" in query
            or any("\x00" in name + value for name, value in request.COOKIES.items())  # cookies unquote \000
        ):
            security_logger.warning("Refused: NUL character in %r", request.META.get("PATH_INFO", ""))
            if request.path_info.startswith(API_PREFIX):
                return JsonResponse({"detail": REFUSED_INPUT}, status=400)
            return HttpResponseBadRequest(render_to_string("400.html"))
        return self.get_response(request)


def document_refused_input(result, generator, request, public):
    """drf-spectacular hook: every API operation may answer the 400 of HostileInputMiddleware."""
    for operations in result["paths"].values():
        for operation in operations.values():
            operation["responses"].setdefault(
                "400",
                {
                    "description": REFUSED_INPUT,
                    "content": {
                        "application/json": {
                            "schema": {
                                "type": "object",
                                "properties": {"detail": {"type": "string"}},
                                "required": ["detail"],
                            }
                        }
                    },
                },
            )
    return result


class RequestBodyLimitMiddleware:
    """Refuse a request body by its announced length, before anything reads it: anonymous visitors may send a
    login form, logged-in users a bundle of BUNDLE_UPLOAD_MAX_BYTES. (Django reads no more than Content-Length.)"""

    MULTIPART_OVERHEAD = 1024 * 1024

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.ANONYMOUS_BODY_MAX_BYTES:
            limit = (
                settings.BUNDLE_UPLOAD_MAX_BYTES + self.MULTIPART_OVERHEAD
                if request.user.is_authenticated
                else settings.ANONYMOUS_BODY_MAX_BYTES
            )
            if length > limit:
                return HttpResponse(
                    f"Requête trop volumineuse : {filesizeformat(length)} envoyés, {filesizeformat(limit)} au plus.",
                    status=413,
                    content_type="text/plain; charset=utf-8",
                )
        return self.get_response(request)
