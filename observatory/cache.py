"""Cache invalidation by generation: every cached page or figure uses ``version=generation()``.

Publishing (or unpublishing) a release, or reloading the territories, bumps the generation, so no stale
figure is ever served and no key has to be enumerated.
"""

from collections.abc import Callable

from django.core.cache import cache
from django.http import HttpResponse

GENERATION_KEY = "indicators:generation"
PAGE_TIMEOUT = 24 * 3600


def generation() -> int:
    value = cache.get(GENERATION_KEY)
    if value is None:
        cache.add(GENERATION_KEY, 1, timeout=None)
        value = cache.get(GENERATION_KEY, 1)
    return value


def bump_generation() -> None:
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:
        cache.set(GENERATION_KEY, 2, timeout=None)


def cached_page(key: str, render_page: Callable[[], HttpResponse]) -> HttpResponse:
    """A public page rendered once per generation; only successful renders are kept.

    Pages cached this way must not depend on the user or hold a CSRF token (they are the same for everyone).
    """
    version = generation()
    content = cache.get(key, version=version)
    if content is not None:
        return HttpResponse(content)
    response = render_page()
    if response.status_code == 200:
        cache.set(key, response.content, PAGE_TIMEOUT, version=version)
    return response
