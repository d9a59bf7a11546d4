from __future__ import annotations

from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "beautycity.web"
    label = "web"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import audit  # connects the login and account signals

        audit.connect_admin_log()
