"""Django settings for Niaga: one module, every value from `niaga.config`.

Nothing here reads `os.environ` directly; `load_config()` parses and checks the
environment so that a bad value stops start-up with the variable named.
"""

from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

from niaga.config import load_config, sqlite_database

CONFIG = load_config()
PACKAGE_DIR = Path(__file__).resolve().parent
DATA_DIR = CONFIG.data_dir

SECRET_KEY = CONFIG.secret_key
# Personal data (NIK): the first key encrypts, every key decrypts; the look-up
# key makes the keyed hashes. Read through niaga.core.personal_data only.
NIAGA_PERSONAL_DATA_KEYS = CONFIG.personal_data_keys
NIAGA_LOOKUP_KEY = CONFIG.lookup_key
NIAGA_LOOKUP_KEY_PREVIOUS = CONFIG.lookup_key_previous
DEBUG = CONFIG.debug
ALLOWED_HOSTS = CONFIG.allowed_hosts
CSRF_TRUSTED_ORIGINS = CONFIG.csrf_trusted_origins

INSTALLED_APPS = [
    "niaga.core.admin_site.NiagaAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rules.apps.AutodiscoverRulesConfig",
    "axes",
    "django_htmx",
    "bootstrap",
    # Niaga's own apps, in the order their demo content loads.
    "niaga.core",
    "niaga.regions",
    "niaga.accounts",
    "niaga.audit",
    "niaga.missions",
    "niaga.registry",
    "niaga.catalog",
    "niaga.programs",
    "niaga.agreements",
    "niaga.realization",
    "niaga.reports",
    "niaga.api",
]

MIDDLEWARE = [
    "niaga.core.middleware.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before sessions and authentication: hundreds of big screens poll it.
    "niaga.missions.board.BoardFeedMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "niaga.accounts.middleware.IndonesianFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "niaga.accounts.middleware.UserLanguageMiddleware",
    "niaga.accounts.middleware.PasswordChangeRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Axes last: it turns a locked-out login into its own response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "niaga.urls"
WSGI_APPLICATION = "niaga.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.tz",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "niaga.core.context_processors.navigation",
            ],
        },
    },
]

# --- Databases -------------------------------------------------------------
if CONFIG.database_url:
    DATABASES = {"default": dj_database_url.parse(CONFIG.database_url)}
    DATABASES["default"]["ENGINE"] = "django.db.backends.postgresql"
    DATABASES["default"]["CONN_MAX_AGE"] = 0  # the pool keeps connections, not Django
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
        "min_size": 1,
        "max_size": CONFIG.db_pool_max,
        "timeout": 10,
    }
else:
    DATABASES = {"default": sqlite_database(DATA_DIR / "niaga.sqlite3")}
    DATABASES["default"]["TEST"] = {"NAME": str(DATA_DIR / "test.sqlite3")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache -----------------------------------------------------------------
if CONFIG.redis_url:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": CONFIG.redis_url,
            "KEY_PREFIX": "niaga",
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            # Sessions, board figures and breakdowns share it: room for a busy day.
            "OPTIONS": {"MAX_ENTRIES": 20_000},
        }
    }

# --- Mail --------------------------------------------------------------------
# Without NIAGA_SMTP_URL mail is printed to the console (the demo); tests get
# Django's memory mailer whatever is set here.
MAILERS = {
    "default": (
        {"BACKEND": "django.core.mail.backends.smtp.EmailBackend", "OPTIONS": CONFIG.smtp}
        if CONFIG.smtp
        else {"BACKEND": "django.core.mail.backends.console.EmailBackend"}
    )
}
DEFAULT_FROM_EMAIL = CONFIG.mail_from
SERVER_EMAIL = CONFIG.mail_from
EMAIL_SUBJECT_PREFIX = "[Niaga] "

# --- Accounts, sessions, login throttling ------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "core:home"

SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
SESSION_COOKIE_AGE = CONFIG.session_hours * 3600
# The session expires after SESSION_COOKIE_AGE without activity, not a fixed
# time after login: a desk officer working all day stays logged in.
SESSION_SAVE_EVERY_REQUEST = True
SESSION_COOKIE_SAMESITE = "Lax"

# Throttling is kept in the database so that every app server sees the same
# failures. Failures count per username and address, per address and per
# username, each with its own limit (see niaga.accounts.throttle).
AXES_HANDLER = "niaga.accounts.throttle.ThrottleHandler"
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address", "username"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_CLIENT_IP_CALLABLE = "niaga.accounts.throttle.client_ip"
AXES_VERBOSE = False

# --- Languages and time ----------------------------------------------------
LANGUAGE_CODE = CONFIG.language_code
LANGUAGES = [("id", _("Bahasa Indonesia")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
TIME_ZONE = CONFIG.time_zone
USE_I18N = True
USE_TZ = True

# --- Static files and uploads ---------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
MEDIA_URL = "/media/"
MEDIA_ROOT = DATA_DIR / "media"
# Nothing under MEDIA_ROOT is served as such: product photos go out through the
# catalogue's views (curated products only), and media/private/ holds uploaded
# import files until they are committed or discarded, and the evidence files of
# support records (served only through a permission-checked view).

# Registry imports (CSV/XLSX): the largest upload and the most rows of one file.
NIAGA_IMPORT_MAX_BYTES = 50 * 2**20
NIAGA_IMPORT_MAX_ROWS = 1_000_000
# Evidence of a grant or an assistance record (PDF, JPEG, PNG): the largest file.
NIAGA_SUPPORT_EVIDENCE_MAX_BYTES = 10 * 2**20
NIAGA_AGREEMENT_DOCUMENT_MAX_BYTES = 20 * 2**20  # a scanned, signed agreement
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# --- Security --------------------------------------------------------------
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    # Bootstrap draws its form controls' icons from data: SVGs.
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_SSL_REDIRECT = CONFIG.https
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SESSION_COOKIE_SECURE = CONFIG.https
CSRF_COOKIE_SECURE = CONFIG.https
LANGUAGE_COOKIE_SECURE = CONFIG.https
SECURE_HSTS_SECONDS = 365 * 24 * 3600 if CONFIG.https else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = CONFIG.https
SECURE_HSTS_PRELOAD = CONFIG.https
if CONFIG.behind_proxy:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# --- Logging: one line per event on standard output ------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "line": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    "handlers": {
        "stdout": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": "line",
        },
    },
    "root": {"handlers": ["stdout"], "level": CONFIG.log_level},
    "loggers": {
        # Requests are logged once, by niaga.request; Django's own request log
        # would repeat every 4xx and 5xx.
        "django.request": {"level": "ERROR"},
        "django.server": {"level": "WARNING"},
    },
}
