"""What the workspace keeps: who belongs to which role and unit, each year's collection,
every upload (content-addressed), every job, the API tokens and the append-only audit trail."""

from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.db import models

ROLES = ("officer", "evaluator", "leader")


class Profile(models.Model):
    """A user's role, and for a city officer the one unit they answer for."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    role = models.CharField(max_length=16, choices=[(r, r) for r in ROLES])
    unit = models.CharField(max_length=64, blank=True)  # a roster id; officers only

    def __str__(self) -> str:
        return f"{self.user.username}: {self.role} {self.unit}".strip()


class Year(models.Model):
    """One assessment year: open for uploads until published, then frozen."""

    year = models.IntegerField(unique=True)
    deadline = models.DateField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.CharField(max_length=150, blank=True)
    # The scoring run whose manifest and archive are the year's, and the rendering run.
    scored = models.ForeignKey(
        "Job", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    rendered = models.ForeignKey(
        "Job", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ("year",)

    @property
    def published(self) -> bool:
        return self.published_at is not None

    def __str__(self) -> str:
        return str(self.year)


class Upload(models.Model):
    """One file as it arrived: kept under its SHA-256, never replaced; its validation as the
    JSON `validate --format json` prints."""

    year = models.ForeignKey(Year, on_delete=models.PROTECT, related_name="uploads")
    unit = models.CharField(max_length=64, blank=True)  # the uploader's unit, else the claim
    name = models.CharField(max_length=255)  # the file name as sent
    sha256 = models.CharField(max_length=64, db_index=True)
    size = models.BigIntegerField()
    uploaded_by = models.CharField(max_length=150)
    uploaded_at = models.DateTimeField(auto_now_add=True)
    valid = models.BooleanField()
    errors = models.IntegerField()
    notes = models.IntegerField()
    values = models.IntegerField(default=0)  # values read, when valid
    report = models.JSONField()

    class Meta:
        ordering = (
            "-uploaded_at",
            "-id",
        )


class Job(models.Model):
    """A background job (scoring or rendering a year) and its progress."""

    KINDS = ("score", "render")
    STATES = ("queued", "running", "done", "failed")
    year = models.ForeignKey(Year, on_delete=models.PROTECT, related_name="jobs")
    kind = models.CharField(max_length=16, choices=[(k, k) for k in KINDS])
    state = models.CharField(max_length=16, default="queued", choices=[(s, s) for s in STATES])
    done = models.IntegerField(default=0)
    total = models.IntegerField(default=0)
    partial = models.BooleanField(default=False)
    cities = models.JSONField(default=list)  # render: only these units ([]: all)
    folder = models.CharField(max_length=500, blank=True)  # results or reports, when done
    problems = models.JSONField(default=list)
    created_by = models.CharField(max_length=150)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    source = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT)

    class Meta:
        ordering = (
            "-created_at",
            "-id",
        )


class ApiToken(models.Model):
    """A script's key: only its SHA-256 is kept; the key is shown once, when made."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    @classmethod
    def issue(cls, user) -> str:
        key = secrets.token_urlsafe(32)
        cls.objects.create(user=user, digest=digest(key))
        return key


def digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


class _AppendOnly(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionError("audit entries are append-only")

    def delete(self):
        raise PermissionError("audit entries are append-only")


class AuditEntry(models.Model):
    """One recorded action. Append-only: an entry is never changed nor deleted."""

    objects = _AppendOnly.as_manager()
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    user = models.CharField(max_length=150)
    action = models.CharField(max_length=32)
    what = models.CharField(max_length=500)
    sha256 = models.CharField(max_length=64, blank=True)
    detail = models.JSONField(default=dict)

    class Meta:
        ordering = (
            "-at",
            "-id",
        )

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None:
            raise PermissionError("audit entries are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("audit entries are append-only")
