"""The editor group: exactly the permissions an editor needs, and none to
manage users."""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType

from archive.editing.common import EditingError
from archive.models import Article, Byline, Issue, Newspaper, Reporter, ReporterAlias, Section, Topic

EDITOR_GROUP = "editor"

# Permissions of the editor group: (model, actions). No auth model is listed,
# so editors cannot see or change users and groups.
EDITOR_PERMISSIONS = {
    Article: ("view", "change"),
    Byline: ("view", "add", "change", "delete"),
    Reporter: ("view", "add", "change", "delete"),
    ReporterAlias: ("view", "add", "change", "delete"),
    Topic: ("view", "add", "change"),
    Section: ("view", "add", "change"),
    Issue: ("view", "change"),
    Newspaper: ("view", "add", "change"),
}


def editor_permissions() -> list[Permission]:
    """The permissions of the editor group, history views included."""
    wanted = []
    for model, actions in EDITOR_PERMISSIONS.items():
        wanted.extend((model, action) for action in actions)
        history = getattr(model, "history", None)
        if history is not None:
            wanted.append((history.model, "view"))
    found = []
    for model, action in wanted:
        content_type = ContentType.objects.get_for_model(model, for_concrete_model=False)
        codename = f"{action}_{model._meta.model_name}"
        permission = Permission.objects.filter(content_type=content_type, codename=codename).first()
        if permission is None:
            raise EditingError(f"permission {codename} is missing; run manage.py migrate first")
        found.append(permission)
    return found


def ensure_editor_group() -> tuple[Group, int]:
    """Create or update the "editor" group; returns it and its permission count.

    The group gets exactly the listed permissions: anything else given to it
    by hand (say, on users) is taken away again.
    """
    group, _created = Group.objects.get_or_create(name=EDITOR_GROUP)
    permissions = editor_permissions()
    group.permissions.set(permissions)
    return group, len(permissions)
