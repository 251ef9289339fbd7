"""Settings shared by every environment. Values that differ come from the environment."""

from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()

SECRET_KEY = env("DJANGO_SECRET_KEY", default="")
DEBUG = env.bool("DJANGO_DEBUG", default=False)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    # third party
    "rest_framework",
    "knox",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "guardian",
    "rules.apps.AutodiscoverRulesConfig",
    "axes",
    "csp",
    "crispy_forms",
    "crispy_forms_gds",
    "django_fsm",
    "pgtrigger",
    "pghistory",
    # the composition root and its shared pieces
    "shortbreaks",
    "shortbreaks.councils",
    "shortbreaks.accesslog",
    "shortbreaks.documents",
    "shortbreaks.notifications",
    # the domain, in the order of the dependency arrow
    "providers",
    "contracts",
    "referrals",
    "outcomes",
    "directpayments",
    "bookings",
    "brokerage",
    "statements",
    "audits",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "shortbreaks.middleware.SessionLimitsMiddleware",
    # after sign-in and session limits: the database shows the council of whoever is asking
    "shortbreaks.middleware.CouncilScopeMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "shortbreaks.middleware.NoStoreForSignedInMiddleware",
    "shortbreaks.accesslog.middleware.RefusalLogMiddleware",
    # axes last, as its documentation asks: it turns a locked-out sign-in into the lockout page
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "shortbreaks.urls"
WSGI_APPLICATION = "shortbreaks.wsgi.application"
# Where the Django admin lives (optional; default "admin/"): a path of its own keeps it out of
# reach of scripts that try /admin/. Sign-in and lockout guard it wherever it is.
ADMIN_URL = env("ADMIN_URL", default="admin/").strip("/") + "/"
if not (ADMIN_URL.isascii() and ADMIN_URL.translate({ord(c): None for c in "-_/"}).isalnum()):
    raise ImproperlyConfigured("ADMIN_URL must be a path of letters, digits, - and _.")

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "shortbreaks.context_processors.service",
            ],
        },
    },
]

# PostgreSQL, always. `make run` and `make test` start an embedded server and set DATABASE_URL
# when it is not given (shortbreaks.runtime; docs/decisions/0006-one-runtime.md).
if not env("DATABASE_URL", default=""):
    raise ImproperlyConfigured(
        "DATABASE_URL is not set. Use `make run` or `make test`, which start an embedded "
        "PostgreSQL, or run a command with `.venv/bin/python -m shortbreaks.runtime exec -- ...`."
    )
DATABASES = {"default": env.db("DATABASE_URL")}
if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
    raise ImproperlyConfigured("DATABASE_URL must be a PostgreSQL URL (postgres://...).")
# Each request is one transaction: a view's writes and its access-log row commit or roll back
# together. Refusals are logged after the rollback (see docs/decisions/0002-access-log.md).
DATABASES["default"]["ATOMIC_REQUESTS"] = True
DATABASES["default"].setdefault("CONN_MAX_AGE", 0)
# How alike a typed word and a name must be for a search to find it (pg_trgm's word similarity:
# "smith" and "Smyth" are 0.33 alike; pg_trgm's own default is 0.6). Set on every connection as it
# opens, so the search stays one query (shortbreaks/search.py).
SEARCH_WORD_SIMILARITY = 0.3
# A random read costs little more than a sequential one when the data is in memory or on SSD
# (PostgreSQL's default of 4 is for spinning disks): with 1.1 the planner looks a council's rows
# up by index rather than scanning a national table (docs/decisions/0016).
RANDOM_PAGE_COST = env.float("DATABASE_RANDOM_PAGE_COST", default=1.1)
# No just-in-time compilation: the policies' subqueries make the planner's cost of a council's
# small query look big, and compiling it took seconds where running it takes milliseconds (the
# register's overrun count: 3 s of JIT for 70 ms of work). `DATABASE_JIT=on` gives it back.
DATABASE_JIT = "on" if env.bool("DATABASE_JIT", default=False) else "off"
DATABASES["default"]["OPTIONS"] = {
    **DATABASES["default"].get("OPTIONS", {}),
    "options": f"-c pg_trgm.word_similarity_threshold={SEARCH_WORD_SIMILARITY}"
    f" -c random_page_cost={RANDOM_PAGE_COST} -c jit={DATABASE_JIT}",
}

# Row-level security (shortbreaks/rls.py, docs/decisions/0009-row-level-security.md): the
# application connects as this role, which owns nothing, is no superuser and cannot bypass the
# policies; `migrate` runs as the tables' owner (DATABASE_URL set to the owner's URL for that one
# command: see the runtime, the Procfile's release step and docker-compose) and grants this role
# what it needs.
DATABASE_APP_ROLE = env("DATABASE_APP_ROLE", default="shortbreaks_app")
# Given to `migrate` (run as the owner): the application's own URL, whose role it makes if
# missing, with LOGIN and that password, and grants.
DATABASE_APP_URL = env("DATABASE_APP_URL", default="")

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "councils.User"

AUTHENTICATION_BACKENDS = [
    # axes first: it refuses a locked-out account before any password is checked
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    # Django's ModelBackend (passwords, model permissions), its permissions read in one query
    "shortbreaks.councils.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "sign-in"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "sign-in"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True
DATE_FORMAT = "j F Y"
SHORT_DATE_FORMAT = "d/m/Y"
DATETIME_FORMAT = "j F Y, H:i"

STATIC_URL = "/static/"
STATIC_ROOT = env("STATIC_ROOT", default=str(BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static" / "dist"]
MEDIA_ROOT = env("MEDIA_ROOT", default=str(BASE_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Sessions: 30 minutes idle, 10 hours at most, ended on the server at sign-out.
SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_IDLE_TIMEOUT = timedelta(minutes=30)
SESSION_ABSOLUTE_TIMEOUT = timedelta(hours=10)
SESSION_COOKIE_AGE = int(SESSION_ABSOLUTE_TIMEOUT.total_seconds())
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True

# API tokens live like sessions: a fresh one at each sign-in, kept only as a digest, ended after
# 30 minutes unused or 10 hours in all (shortbreaks/councils/authentication.py).
API_TOKEN_IDLE_TIMEOUT = SESSION_IDLE_TIMEOUT
API_TOKEN_ABSOLUTE_TIMEOUT = SESSION_ABSOLUTE_TIMEOUT
REST_KNOX = {
    "TOKEN_TTL": API_TOKEN_IDLE_TIMEOUT,
    "AUTO_REFRESH": True,
    "AUTO_REFRESH_MAX_TTL": API_TOKEN_ABSOLUTE_TIMEOUT,
    "MIN_REFRESH_INTERVAL": 60,
    "AUTH_HEADER_PREFIX": "Token",
}

# Headers on every response. HSTS is switched on in production settings.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    },
}

# Account lockout: 5 failures on one account lock that account, whatever the IP address, because
# a council office shares one address and one person's typing must not lock out colleagues.
AXES_FAILURE_LIMIT = 5
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_COOLOFF_TIME = timedelta(minutes=30)
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_USERNAME_FORM_FIELD = "username"
AXES_IPWARE_PROXY_COUNT = env.int("AXES_IPWARE_PROXY_COUNT", default=0)
AXES_VERBOSE = False
SILENCED_SYSTEM_CHECKS = [
    # axes warns when the lockout is not also by IP address. It is deliberately per account (see
    # above): an attacker rotating addresses still locks the account they try, after 5 attempts.
    "axes.W006",
]

# django-guardian: object grants only; no anonymous user row.
ANONYMOUS_USER_NAME = None
GUARDIAN_RAISE_403 = False
GUARDIAN_AUTO_PREFETCH = False

CRISPY_ALLOWED_TEMPLATE_PACKS = ["gds"]
CRISPY_TEMPLATE_PACK = "gds"

REST_FRAMEWORK = {
    # Token first, so an unauthenticated API call answers 401 with a WWW-Authenticate header.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "shortbreaks.councils.authentication.ExpiringTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["shortbreaks.permissions.IsCouncilMember"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "shortbreaks.pagination.NewestFirstCursorPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "EXCEPTION_HANDLER": "shortbreaks.api.exception_handler",
    "DEFAULT_METADATA_CLASS": "shortbreaks.api.Metadata",
    "DEFAULT_RENDERER_CLASSES": ["shortbreaks.renderers.FastJSONRenderer"],
    # JSON nested more than API_JSON_MAX_DEPTH levels is a 400 (shortbreaks.parsers).
    "DEFAULT_PARSER_CLASSES": [
        "shortbreaks.parsers.DepthLimitedJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}

# Bad input: a request body (files apart) over this is a 413, JSON for the API and a page for
# people (shortbreaks.api, shortbreaks.views.error_400); JSON deeper than this is a 400.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440  # 2.5 MB, Django's default, said out loud
API_JSON_MAX_DEPTH = 64

# The Open Contracting Data Standard export (contracts/ocds.py): every ocid starts with a prefix
# the Open Contracting Partnership registers for the publisher (ask it at
# https://standard.open-contracting.org/latest/en/schema/identifiers/#contracting-process-identifier-ocid).
# "ocds-shbrks" is NOT registered: it serves development and the tests only. Production takes
# the registered prefix from OCDS_OCID_PREFIX and, without one, publishes nothing (503).
OCDS_OCID_PREFIX = env("OCDS_OCID_PREFIX", default="ocds-shbrks")

SPECTACULAR_SETTINGS = {
    "TITLE": "Short breaks case management API",
    "DESCRIPTION": "JSON API for councils' short breaks records. Every endpoint is scoped to the "
    "signed-in person's active council.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # The API description is for council staff: a parent carer account is refused it.
    "SERVE_PERMISSIONS": ["shortbreaks.permissions.IsCouncilMember"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Several models have a "status" or "kind": name each enum after its model.
    "ENUM_NAME_OVERRIDES": {
        "ProviderStatusEnum": "providers.models.ProviderStatus",
        "MonitoringKindEnum": "contracts.models.MonitoringKind",
        "ContractKindEnum": "contracts.models.ContractKind",
        "ContractStatusEnum": "contracts.models.ContractStatus",
        "ParticipationStatusEnum": "contracts.models.ParticipationStatus",
        "DPSStatusEnum": "contracts.models.DPSStatus",
        "MembershipStatusEnum": "contracts.models.MembershipStatus",
        "ExtensionStatusEnum": "contracts.models.ExtensionStatus",
        "ApprovalDecisionEnum": "contracts.models.Decision",
        "ServiceTierEnum": "shortbreaks.councils.models.Tier",
        "RatioEnum": "providers.models.Ratio",
        "ChildTierEnum": "referrals.models.ChildTier",
        "ReferralStatusEnum": "referrals.models.ReferralStatus",
        "GrantStatusEnum": "referrals.models.GrantStatus",
        "PaymentStatusEnum": "referrals.models.PaymentStatus",
        "AssessmentStatusEnum": "referrals.models.AssessmentStatus",
        "AssessmentOutcomeEnum": "referrals.models.AssessmentOutcome",
        "PackageStatusEnum": "referrals.models.PackageStatus",
        "PanelOutcomeEnum": "referrals.models.PanelOutcome",
        "ReviewOutcomeEnum": "referrals.models.ReviewOutcome",
        "AssuranceRatingEnum": "audits.models.AssuranceRating",
        "RecommendationPriorityEnum": "audits.models.Priority",
        "RecommendationStatusEnum": "audits.models.RecommendationStatus",
        "RecommendationEventKindEnum": "audits.models.EventKind",
        "EvidenceKindEnum": "audits.models.EvidenceKind",
        "EvidencePackKindEnum": "audits.models.PackKind",
        "DocumentJobStatusEnum": "shortbreaks.documents.models.JobStatus",
        "ClosureReasonEnum": "referrals.census_codes.ClosureReason",
        "NotDeliveredReasonEnum": "referrals.models.NotDeliveredReason",
        "CaseNoteKindEnum": "referrals.models.CaseNoteKind",
        "SurveyQuestionKindEnum": "outcomes.models.QuestionKind",
        "NotificationKindEnum": "shortbreaks.notifications.models.NotificationKind",
        "DirectPaymentReviewOutcomeEnum": "directpayments.models.ReviewOutcome",
        "BrokerageResponseOutcomeEnum": "brokerage.models.ResponseOutcome",
        "ReferralEventKindEnum": "referrals.models.ReferralEventKind",
    },
    # Every operation's summary and error answers, once (shortbreaks/openapi.py).
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "shortbreaks.openapi.postprocess",
    ],
}

# Celery: work that must not be lost is acknowledged only after it is done, one message at a time.
# Always a real broker and a real worker: no in-process ("eager") mode anywhere.
REDIS_URL = env("REDIS_URL", default="")
if not REDIS_URL:
    raise ImproperlyConfigured(
        "REDIS_URL is not set. Use `make run` or `make test`, which start an embedded Redis."
    )
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default=REDIS_URL)
CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND", default=REDIS_URL)
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 300
CELERY_TASK_SOFT_TIME_LIMIT = 240
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
CELERY_TIMEZONE = TIME_ZONE
# Beat records each tick, so /healthz can tell that the scheduler is alive (shortbreaks.beat).
CELERY_BEAT_SCHEDULER = "shortbreaks.beat:HeartbeatScheduler"
# Every recurring job, in one place.
CELERY_BEAT_SCHEDULE = {
    "contracts-expire": {
        "task": "contracts.expire_contracts",
        "schedule": crontab(hour=1, minute=0),
    },
    "contracts-expiry-reminders": {
        "task": "contracts.send_expiry_reminders",
        "schedule": crontab(hour=7, minute=0),
    },
    "documents-sweep": {
        "task": "documents.sweep",
        "schedule": 60.0,
    },
    "audits-expire-pack-grants": {
        "task": "audits.expire_pack_grants",
        "schedule": crontab(hour=0, minute=15),
    },
    # The access log: its coming months' partitions, and a check of every hash chain.
    "accesslog-create-partitions": {
        "task": "accesslog.create_partitions",
        "schedule": crontab(hour=0, minute=30),
    },
    "accesslog-verify-chains": {
        "task": "accesslog.verify_chains",
        "schedule": crontab(hour=2, minute=30),
    },
    # Each council's published statement's body, kept in the cache (statements.body).
    "statements-keep-published-bodies": {
        "task": "statements.keep_published_bodies",
        "schedule": crontab(hour=3, minute=15),
    },
    # Support in numbers: each council's summary, which its page, CSV and API read.
    "referrals-refresh-support-summaries": {
        "task": "referrals.refresh_support_summaries",
        "schedule": crontab(minute=5),
    },
}
# How long a published statement's rendered body stays in the cache unread by the daily task that
# keeps it (statements.body): two days, so that one missed run loses nothing.
STATEMENT_BODY_CACHE_SECONDS = 2 * 24 * 60 * 60
# PDFs built by workers: each kind's builder (see shortbreaks.documents.jobs), and how long a
# builder may stay silent before another attempt takes its job over.
DOCUMENT_BUILDERS: dict[str, str] = {
    "statement": "statements.documents.build",
    "evidence_pack": "audits.packs.builder.build",
}
DOCUMENT_JOB_STALE_SECONDS = env.int("DOCUMENT_JOB_STALE_SECONDS", default=120)

EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="shortbreaks@example.org")

# Notifications (shortbreaks.notifications): with NOTIFY_API_KEY set they go by GOV.UK Notify, each
# kind by its own template in NOTIFY_TEMPLATE_IDS ("grant_decision=<id>,panel_decision=<id>") or
# else by the generic NOTIFY_TEMPLATE_ID, whose ((subject)) and ((body)) carry the message; without
# a key, by EMAIL_BACKEND. Links in them start with SITE_URL. A failed attempt is tried again after
# NOTIFICATION_RETRY_SECONDS, then twice as long each time, up to NOTIFICATION_MAX_ATTEMPTS.
NOTIFY_API_KEY = env("NOTIFY_API_KEY", default="")
NOTIFY_TEMPLATE_ID = env("NOTIFY_TEMPLATE_ID", default="")
NOTIFY_TEMPLATE_IDS = env.dict("NOTIFY_TEMPLATE_IDS", default={})
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000")
NOTIFICATION_RETRY_SECONDS = env.int("NOTIFICATION_RETRY_SECONDS", default=60)
NOTIFICATION_MAX_ATTEMPTS = env.int("NOTIFICATION_MAX_ATTEMPTS", default=5)

# Parent carer sign-up (statements.parents.services): attempts per IP address and per email address
# in each window (more answer 429), and how long the emailed confirmation link works. The counts
# live in the cache: several web processes share them only through a shared cache (CACHE_URL, a
# Redis database of its own); without one each process counts alone.
SIGN_UP_LIMIT_PER_IP_ADDRESS = 10
SIGN_UP_LIMIT_PER_EMAIL = 5
SIGN_UP_LIMIT_WINDOW = timedelta(hours=1)
SIGN_UP_LINK_LIFETIME = timedelta(hours=24)
if env("CACHE_URL", default=""):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": env("CACHE_URL"),
        }
    }

# What each app adds to a person's home page (see shortbreaks.views.home).
# Where a signed-in person with no staff role belongs (a parent carer's account page).
SIGNED_IN_HOMES: list[str] = [
    "statements.parents.views.signed_in_home",
    # An invited external auditor's: the evidence packs shared with them.
    "audits.auditors.views.signed_in_home",
    # Provider staff's: their provider's own pages (providers.portal).
    "providers.portal.access.signed_in_home",
]
# What each app adds to provider staff's home page (providers.portal.views.home), in order:
# callables taking the request, returning {"template": ..., **context} or None.
PROVIDER_HOME_PANELS: list[str] = [
    "contracts.portal.views.provider_home_panel",
    "referrals.portal.views.provider_home_panel",
    "providers.portal.views.other_work_panel",
]
HOME_PANELS: list[str] = [
    "contracts.panels.expiry_notices",
    "contracts.panels.joint_contract_invitations",
    "contracts.panels.overrunning_contracts",
    "statements.panels.statement_review_notices",
    "brokerage.panels.brokerage_waiting",
    # The work tray: each role's counts of what is due, overdue or waiting, each a link.
    "worktray.trays.work_tray",
]

SERVICE_NAME = "Short breaks"
PHASE = "Beta"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="WARNING")},
}
