"""The audit trail: `record` one action; logins, failed logins and account changes are
recorded from Django's signals, so the admin's edits are in it too."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .models import AuditEntry, Profile


def record(user: Any, action: str, what: str, sha256: str = "", **detail: Any) -> None:
    name = user if isinstance(user, str) else getattr(user, "username", "") or "-"
    AuditEntry.objects.create(
        user=name, action=action, what=what[:500], sha256=sha256, detail=detail
    )


def _address(request: Any) -> str:
    return request.META.get("REMOTE_ADDR", "") if request is not None else ""


@receiver(user_logged_in)
def _login(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    record(user, "login", user.username, address=_address(request))


@receiver(user_logged_out)
def _logout(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if user is not None:
        record(user, "logout", user.username, address=_address(request))


@receiver(user_login_failed)
def _failed(sender: Any, credentials: dict, request: Any = None, **kwargs: Any) -> None:
    name = str(credentials.get("username", ""))
    record(name, "login_failed", name, address=_address(request))


@receiver(post_save, sender=get_user_model())
def _account(
    sender: Any, instance: Any, created: bool, update_fields: Any = None, **kw: Any
) -> None:
    if update_fields and set(update_fields) <= {"last_login"}:
        return  # every login touches last_login; the login itself is recorded
    record(
        "-",
        "account_created" if created else "account_changed",
        instance.username,
        active=instance.is_active,
        staff=instance.is_staff,
    )


@receiver(post_delete, sender=get_user_model())
def _account_deleted(sender: Any, instance: Any, **kwargs: Any) -> None:
    record("-", "account_deleted", instance.username)


@receiver(post_save, sender=Profile)
def _profile(sender: Any, instance: Profile, **kwargs: Any) -> None:
    record("-", "role_set", instance.user.username, role=instance.role, unit=instance.unit)


def _admin_entry(sender: Any, instance: Any, created: bool, **kwargs: Any) -> None:
    # The admin's own log names who changed an account; the signals above cannot.
    if created:
        action = {1: "admin_added", 2: "admin_changed", 3: "admin_deleted"}.get(
            instance.action_flag, "admin"
        )
        record(
            instance.user,
            action,
            instance.object_repr,
            model=instance.content_type.model if instance.content_type else "",
            change=instance.get_change_message(),
        )


def connect_admin_log() -> None:
    from django.contrib.admin.models import LogEntry

    post_save.connect(_admin_entry, sender=LogEntry, dispatch_uid="beautycity-admin-log")
