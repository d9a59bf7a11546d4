"""Who may touch what: a user's role and unit, and the one decorator every view declares its
audience with. Anyone signed out goes to the login page; a signed-in user of another role
gets 403, never the page."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

from .models import Profile


def profile(user: Any) -> Profile | None:
    if not user.is_authenticated:
        return None
    try:
        return user.profile
    except Profile.DoesNotExist:
        return None


def role(user: Any) -> str | None:
    """The user's role; a superuser without one is an evaluator (the first account of a new
    working folder, made by `createsuperuser`). An officer of no unit of the roster (left
    blank in the admin, or a unit since removed) has none: every check of a unit is by it."""
    found = profile(user)
    if found is None:
        return "evaluator" if user.is_authenticated and user.is_superuser else None
    if found.role == "officer" and not _of_roster(found.unit):
        return None
    return found.role


def _of_roster(unit_id: str) -> bool:
    from .year import context

    return bool(unit_id) and unit_id in context().roster


def unit(user: Any) -> str | None:
    """The unit a city officer answers for; None for the other roles."""
    found = profile(user)
    return found.unit if found and role(user) == "officer" else None


def allow(*roles: str) -> Callable:
    """The view is for these roles only."""

    def wrap(view: Callable) -> Callable:
        @functools.wraps(view)
        def check(request: Any, *args: Any, **kwargs: Any) -> Any:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if role(request.user) not in roles:
                raise PermissionDenied
            return view(request, *args, **kwargs)

        check.roles = roles  # type: ignore[attr-defined]  # read by the permission test
        return check

    return wrap


def may_see_unit(user: Any, unit_id: str, published: bool) -> bool:
    """An officer sees their own unit only; a leader only what is published."""
    r = role(user)
    if r == "evaluator":
        return True
    if r == "officer":
        return unit(user) == unit_id
    return r == "leader" and published
