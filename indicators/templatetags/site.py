"""The site's identity (publisher, contact, licence) from settings, for pages rendered with or without a request."""

from django import template
from django.conf import settings

register = template.Library()

SITE_SETTINGS = (
    "OBSERVATORY_PUBLISHER",
    "OBSERVATORY_CONTACT_EMAIL",
    "OBSERVATORY_HOST",
    "DATA_LICENCE_NAME",
    "DATA_LICENCE_URL",
)


@register.simple_tag
def site_setting(name: str) -> str:
    if name not in SITE_SETTINGS:
        raise template.TemplateSyntaxError(f"{name} is not a site setting")
    return getattr(settings, name)
