"""The one settings module. Every knob comes from `beautycity serve` (through the environment
variables below, which docs/web.md lists) or the working folder's beautycity.toml.

BEAUTYCITY_WORKSPACE  the working folder (required)
DATABASE_URL          a PostgreSQL (or other) database; default: SQLite in the working folder
BEAUTYCITY_DEV        "1": DEBUG on (never in production)
BEAUTYCITY_HTTPS      "1": served behind an HTTPS proxy: secure cookies, HSTS
BEAUTYCITY_HOSTS      comma-separated host names the server answers to
"""

from __future__ import annotations

import os
import secrets

import dj_database_url

from ..submission.precheck import MAX_FILE_BYTES
from ..workspace import load_workspace

WORKSPACE = load_workspace(os.environ["BEAUTYCITY_WORKSPACE"])
STATE = WORKSPACE.root / "web"  # the database, the uploads, the runs and the secret key
STATE.mkdir(exist_ok=True)


def _secret_key() -> str:
    # Made once per working folder and kept beside its database, readable by its owner only.
    file = STATE / "secret_key"
    if not file.exists():
        file.touch(mode=0o600)
        file.write_text(secrets.token_urlsafe(50), encoding="ascii")
    return file.read_text(encoding="ascii").strip()


SECRET_KEY = _secret_key()
DEBUG = os.environ.get("BEAUTYCITY_DEV") == "1"
HTTPS = os.environ.get("BEAUTYCITY_HTTPS") == "1"
ALLOWED_HOSTS = [
    h for h in os.environ.get("BEAUTYCITY_HOSTS", "127.0.0.1,localhost").split(",") if h
]

_URL = os.environ.get("DATABASE_URL") or WORKSPACE.config.database_url
DATABASES = {
    "default": dj_database_url.parse(_URL, conn_max_age=60)
    if _URL
    else {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": STATE / "db.sqlite3",
        # The worker and the web server write the same file: wait for the lock, not fail.
        "OPTIONS": {"timeout": 20, "transaction_mode": "IMMEDIATE"},
    }
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "beautycity.web",
]
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
ROOT_URLCONF = "beautycity.web.urls"
WSGI_APPLICATION = "beautycity.web.wsgi.application"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "beautycity.web.webtexts.context",
            ]
        },
    }
]
TASKS = {
    "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]},
}

LANGUAGE_CODE = "zh-hans"
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = STATE / "static"
STATIC_ROOT.mkdir(exist_ok=True)
WHITENOISE_USE_FINDERS = True  # the package's static files, without a collectstatic step
LOGIN_URL = "web:login"
LOGIN_REDIRECT_URL = "web:home"

# Uploads: the safe reader's own limit (a filled workbook is about 30 KB), so that a file is
# refused in the same words whether `validate` or the workspace checked it.
UPLOAD_LIMIT = MAX_FILE_BYTES
MAX_REQUEST = 10 * UPLOAD_LIMIT  # a batch of several workbooks at the limit
DATA_UPLOAD_MAX_MEMORY_SIZE = UPLOAD_LIMIT + 2**20
FILE_UPLOAD_MAX_MEMORY_SIZE = 2**20  # larger files go to a temporary file, not memory

# Login throttling: five wrong passwords lock the user name from that address for 15 minutes.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Strict"
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = HTTPS
SESSION_COOKIE_AGE = 8 * 3600  # a working day
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if HTTPS:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = 31536000
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        # The report's SVG charts carry style attributes.
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'none'"],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {"django_tasks_db": {"handlers": ["console"], "level": "WARNING"}},
}
