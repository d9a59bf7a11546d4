"""Every address of the workspace. The permission test walks this list: a view added here
without a row in its matrix fails it."""

from __future__ import annotations

from django.contrib import admin
from django.urls import include, path

from . import api
from .views import accounts, board, officer, results

pages = [
    path("", accounts.home, name="home"),
    path("login/", accounts.login, name="login"),
    path("logout/", accounts.logout, name="logout"),
    path("no-role/", accounts.no_role, name="no_role"),
    path("account/token/", accounts.token, name="token"),
    path("account/token/new/", accounts.new_token, name="new_token"),
    path("unit/", officer.home, name="officer"),
    path("unit/template.xlsx", officer.template, name="template"),
    path("unit/upload/", officer.upload, name="upload"),
    path("uploads/<int:upload_id>/", officer.upload_detail, name="upload_detail"),
    path("uploads/<int:upload_id>/file", officer.upload_file, name="upload_file"),
    path("board/", board.board, name="board"),
    path("board/<int:year>/", board.board, name="board_year"),
    path("board/<int:year>/units/<str:unit>/", board.unit_detail, name="unit_detail"),
    path("board/<int:year>/score/", board.score, name="score"),
    path("board/<int:year>/render/", board.render_reports, name="render"),
    path("board/<int:year>/publish/", board.publish, name="publish"),
    path("jobs/<int:job_id>/", board.job, name="job"),
    path("jobs/<int:job_id>/preview/", board.preview, name="preview"),
    path("audit/", board.audit, name="audit"),
    path("scheme/", board.scheme, name="scheme"),
    path("dashboard/", results.dashboard, name="dashboard"),
    path("dashboard/<int:year>/", results.dashboard, name="dashboard_year"),
    path("dashboard/<int:year>/units/<str:unit>/", results.unit_page, name="unit_page"),
    path("reports/<int:year>/<str:name>", results.report_pdf, name="report_pdf"),
    path("api/v1/submissions", api.submissions, name="api_submissions"),
    path("api/v1/status", api.status_view, name="api_status"),
    path("api/v1/results/<int:year>", api.results, name="api_results"),
    path("api/v1/reports/<int:year>", api.reports, name="api_reports"),
    path("api/v1/reports/<int:year>/<str:name>", api.report, name="api_report"),
]

urlpatterns = [path("", include((pages, "web"))), path("admin/", admin.site.urls)]
