"""What an editor can do to a release or a series: the button, what it will change, the service that does it."""

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages

from indicators.services import ReleaseActionError


@dataclass(frozen=True)
class ReleaseAction:
    slug: str
    label: str
    consequence: str
    service: Callable
    allowed_statuses: tuple[str, ...]
    success: str
    # Removes figures from the site or deletes them: its button looks different and asks twice.
    dangerous: bool = False


def perform(request, action: ReleaseAction, target, **names) -> None:
    """Run ``action`` on ``target`` for the logged-in editor and tell them how it went (``names`` fill the message)."""
    try:
        action.service(target, user=request.user)
    except ReleaseActionError as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, action.success.format(**names))
