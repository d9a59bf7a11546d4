"""Signing in and out (Django's own views), the start page by role, an API key."""

from __future__ import annotations

from django.contrib.auth import views as auth
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from .. import roles
from ..audit import record
from ..models import ApiToken

login = auth.LoginView.as_view(template_name="web/login.html", redirect_authenticated_user=True)
logout = auth.LogoutView.as_view(next_page="web:login")

START = {"officer": "web:officer", "evaluator": "web:board", "leader": "web:dashboard"}


def home(request):
    if not request.user.is_authenticated:
        return redirect("web:login")
    return redirect(START.get(roles.role(request.user) or "", "web:no_role"))


def no_role(request):
    return render(request, "web/no_role.html", status=403)


@roles.allow("officer", "evaluator", "leader")
def token(request):
    return render(request, "web/token.html", {"key": None})


@require_POST
@roles.allow("officer", "evaluator", "leader")
def new_token(request):
    key = ApiToken.issue(request.user)
    record(request.user, "token_issued", request.user.username)
    return render(request, "web/token.html", {"key": key})
