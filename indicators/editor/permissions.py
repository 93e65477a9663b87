"""Who may act in the editor area: members of the "Éditeurs" group (created by a data migration)."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied

EDITORS_GROUP = "Éditeurs"


def is_editor(user) -> bool:
    return user.is_active and (user.is_superuser or user.groups.filter(name=EDITORS_GROUP).exists())


def editor_required(view):
    """Anonymous visitors are sent to the login page; logged-in users who are not editors get a 403."""

    @wraps(view)
    @login_required
    def guarded(request, *args, **kwargs):
        if not is_editor(request.user):
            raise PermissionDenied("Réservé aux éditeurs de l'observatoire.")
        return view(request, *args, **kwargs)

    return guarded


def add_editor(user) -> None:
    group, _ = Group.objects.get_or_create(name=EDITORS_GROUP)
    user.groups.add(group)
