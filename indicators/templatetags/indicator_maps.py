from django import template

from indicators import presenters, selectors

register = template.Library()


@register.simple_tag
def home_map():
    """The home page map of today's EPCIs for the current release (None before any publication)."""
    return presenters.home_map(selectors.release_for(None))
