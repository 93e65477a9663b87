"""Page cache keyed by the site's generation, a counter kept in PostgreSQL; a cache outage only makes pages slower.

Every cached page or figure uses ``version=generation()``. The generation is read from the database, once per
request, and bumped inside the transaction that publishes, unpublishes or changes the release shown: a cache that is
down, or that still holds the pages of another release, can never make a page show another release than the
published one. The Redis cache is fail-safe: when it cannot be reached, reads miss and writes are dropped, so pages
are rendered uncached instead of failing.
"""

import logging
import time
from collections.abc import Callable
from contextvars import ContextVar

from django.core.cache import cache
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from django.db.models import F
from django.http import HttpResponse
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

PAGE_TIMEOUT = 24 * 3600

# The generation read by the current request, so that all its cache keys agree (set by GenerationMiddleware).
_request_generation: ContextVar[dict | None] = ContextVar("request_generation", default=None)


def generation() -> int:
    """The site's generation, from the database (read once per request)."""
    memo = _request_generation.get()
    if memo is None:
        return _read_generation()
    if "value" not in memo:
        memo["value"] = _read_generation()
    return memo["value"]


def _read_generation() -> int:
    from indicators.models import SiteGeneration

    return SiteGeneration.objects.filter(pk=SiteGeneration.SINGLETON).values_list("value", flat=True).first() or 1


def bump_generation() -> None:
    """Give every cached page a new key; call it inside the transaction that changes what pages show."""
    from indicators.models import SiteGeneration

    if not SiteGeneration.objects.filter(pk=SiteGeneration.SINGLETON).update(value=F("value") + 1):
        SiteGeneration.objects.get_or_create(pk=SiteGeneration.SINGLETON, defaults={"value": 2})


class GenerationMiddleware:
    """Requests read the generation at most once, when they first need it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _request_generation.set({})
        try:
            return self.get_response(request)
        finally:
            _request_generation.reset(token)


def cached_page(key: str, render_page: Callable[[], HttpResponse]) -> HttpResponse:
    """A public page rendered once per generation; only successful renders are kept.

    Pages cached this way must not depend on the user or hold a CSRF token (they are the same for everyone).
    """
    version = generation()  # read before rendering: a page is never stored under a newer generation than its data
    content = cache.get(key, version=version)
    if content is not None:
        return HttpResponse(content)
    response = render_page()
    if response.status_code == 200:
        cache.set(key, response.content, PAGE_TIMEOUT, version=version)
    return response


def shared_value(key: str, compute: Callable[[], object], timeout: int = PAGE_TIMEOUT):
    """``compute()``'s value for the current generation, kept in the shared cache: read from the database (or built)
    once per publication, whichever process asks first."""
    version = generation()
    value = cache.get(key, version=version)
    if value is None:
        value = compute()
        cache.set(key, value, timeout, version=version)
    return value


# Small values every page reads (published releases and series), kept by each process for the generation they were
# read in: a page then asks Redis for its own key only. Keyed by generation like the shared cache, so just as safe.
_values_by_generation: dict[int, dict[str, object]] = {}


def generation_value(key: str, compute: Callable[[], object], timeout: int = PAGE_TIMEOUT):
    """``shared_value`` also kept in this process's memory until the generation changes: for small values only."""
    version = generation()
    values = _values_by_generation.get(version)
    if values is None:
        _values_by_generation.clear()  # another generation's values will not be read again
        values = _values_by_generation.setdefault(version, {})
    if key not in values:
        values[key] = shared_value(key, compute, timeout)
    return values[key]


def forget_generation_values() -> None:
    _values_by_generation.clear()


class FailSafeRedisCacheClient(RedisCacheClient):
    """Django's Redis client, where an unreachable or failing Redis reads as a miss and drops writes.

    After a failure the cache is left alone for RETRY_AFTER seconds, so that a Redis that hangs costs one socket
    timeout now and then rather than one per cache call.
    """

    RETRY_AFTER = 5.0
    _unavailable_until = 0.0

    def _attempt(self, operation: str, fallback, *args):
        if time.monotonic() < self._unavailable_until:
            return fallback
        try:
            return getattr(super(), operation)(*args)
        except (RedisError, OSError) as error:
            self._unavailable_until = time.monotonic() + self.RETRY_AFTER
            logger.warning("Cache unavailable (%s: %s): pages are rendered without it", operation, error)
            return fallback

    def get(self, key, default):
        return self._attempt("get", default, key, default)

    def get_many(self, keys):
        return self._attempt("get_many", {}, keys)

    def has_key(self, key):
        return self._attempt("has_key", False, key)

    def add(self, key, value, timeout):
        return self._attempt("add", False, key, value, timeout)

    def set(self, key, value, timeout):
        return self._attempt("set", None, key, value, timeout)

    def set_many(self, data, timeout):
        return self._attempt("set_many", None, data, timeout)

    def touch(self, key, timeout):
        return self._attempt("touch", False, key, timeout)

    def delete(self, key):
        return self._attempt("delete", False, key)

    def delete_many(self, keys):
        return self._attempt("delete_many", None, keys)

    def clear(self):
        return self._attempt("clear", False)


class FailSafeRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = FailSafeRedisCacheClient
