"""Cache invalidation by generation: every cached page or figure uses ``version=generation()``.

Publishing (or unpublishing) a release bumps the generation, so no stale figure is ever served and
no key has to be enumerated.
"""

from django.core.cache import cache

GENERATION_KEY = "indicators:generation"


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
