"""Portal settings: one file, every value from the environment (documented in .env.example).

The embedded default (no variables set) runs everything on one machine: SQLite, the local-memory
cache and the sandbox identity provider + Claims API, all served on SITE_URL.
"""

from __future__ import annotations

import secrets
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from cryptography.fernet import Fernet

from portal.env import env_bool, env_float, env_int, env_list, env_required, env_str, generated_secret

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("PORTAL_VAR_DIR", str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

# DJANGO_DEBUG picks the profile: 1 (the default) the embedded development setup, 0 production.
DEVELOPMENT = env_bool("DJANGO_DEBUG", True)
# Django's own technical error pages list every URL pattern and much of the settings: never in a
# profile a newcomer starts, only when asked for by name on a private machine.
DEBUG = DEVELOPMENT and env_bool("DJANGO_TECHNICAL_ERROR_PAGES", False)

PORT = env_int("PORT", 8000)
SITE_URL = env_str("SITE_URL", f"http://127.0.0.1:{PORT}").rstrip("/")
_site = urlsplit(SITE_URL)

if DEVELOPMENT:
    # Made on first run and kept in var/ (like the sandbox's signing key): never a published value.
    SECRET_KEY = env_str("DJANGO_SECRET_KEY") or generated_secret(
        VAR_DIR / "django-secret-key", lambda: secrets.token_urlsafe(50)
    )
else:
    SECRET_KEY = env_required("DJANGO_SECRET_KEY")

_default_hosts = [_site.hostname or "127.0.0.1"]
if DEVELOPMENT:
    _default_hosts += ["127.0.0.1", "localhost", "[::1]"]
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", _default_hosts)
CSRF_TRUSTED_ORIGINS = [f"{_site.scheme}://{_site.netloc}"]

# --- The embedded sandbox (identity provider + Claims API v1) -----------------------------------
# On by default only in the development profile; in production only when asked for (and then
# `check --deploy` warns: portal.checks).
SANDBOX_ENABLED = env_bool("SANDBOX_ENABLED", DEVELOPMENT)
SANDBOX_LATENCY_MS = env_int("SANDBOX_LATENCY_MS", 0)
SANDBOX_FAULT_RATE = env_float("SANDBOX_FAULT_RATE", 0.0)
SANDBOX_FAULT_STATUS = env_str("SANDBOX_FAULT_STATUS", "503")
SANDBOX_ACCESS_TOKEN_LIFETIME = env_int("SANDBOX_ACCESS_TOKEN_LIFETIME", 3600)
SANDBOX_KEY_FILE = Path(env_str("SANDBOX_KEY_FILE", str(VAR_DIR / "sandbox-oidc-key.pem")))
# Where the portal that signs in through this sandbox lives (its own process or host, for load runs).
SANDBOX_PORTAL_URL = env_str("SANDBOX_PORTAL_URL", SITE_URL).rstrip("/")
SANDBOX_MEDIA_ROOT = Path(env_str("SANDBOX_MEDIA_ROOT", str(VAR_DIR / "sandbox-receipts")))
# The sandbox's Silver: how long after a submission it adjudicates, where it delivers the webhook
# (deliver | drop | duplicate | late=S), and faults on its API (rate, and which: 503, 500, drop).
SANDBOX_SILVER_DELAY_SECONDS = env_float("SANDBOX_SILVER_DELAY_SECONDS", 2.0)
SANDBOX_SILVER_WEBHOOK = env_str("SANDBOX_SILVER_WEBHOOK", "deliver")
SANDBOX_SILVER_WEBHOOK_URL = env_str("SANDBOX_SILVER_WEBHOOK_URL", f"{SANDBOX_PORTAL_URL}/webhooks/silver/")
SANDBOX_SILVER_FAULT_RATE = env_float("SANDBOX_SILVER_FAULT_RATE", 0.0)
SANDBOX_SILVER_FAULT_STATUS = env_str("SANDBOX_SILVER_FAULT_STATUS", "503,drop")
SANDBOX_SILVER_SWEEP_SECONDS = env_float("SANDBOX_SILVER_SWEEP_SECONDS", 60.0)
# The sandbox's Integrex (seeds/004): how long a claim query answers 202 before its answer
# ("forever": always 202), its tokens' lifetime, and how its answers look (rows: a list of
# per-service-line objects, or object: the claim with a "lines" list; dates iso or us, MM/DD/YYYY).
SANDBOX_INTEGREX_DELAY_SECONDS = (
    float("inf")
    if env_str("SANDBOX_INTEGREX_DELAY_SECONDS").strip().lower() == "forever"
    else env_float("SANDBOX_INTEGREX_DELAY_SECONDS", 4.0)
)
SANDBOX_INTEGREX_TOKEN_SECONDS = env_int("SANDBOX_INTEGREX_TOKEN_SECONDS", 3600)
SANDBOX_INTEGREX_SHAPE = env_str("SANDBOX_INTEGREX_SHAPE", "rows")
SANDBOX_INTEGREX_DATES = env_str("SANDBOX_INTEGREX_DATES", "iso")
# The sandbox's Optum (Claim Status v2): how long its tokens live (a test of expiry sets a few
# seconds), and faults on its API like Silver's (rate, and which: 503, 500, drop, aaa42, down).
SANDBOX_OPTUM_TOKEN_SECONDS = env_int("SANDBOX_OPTUM_TOKEN_SECONDS", 3600)
SANDBOX_OPTUM_FAULT_RATE = env_float("SANDBOX_OPTUM_FAULT_RATE", 0.0)
SANDBOX_OPTUM_FAULT_STATUS = env_str("SANDBOX_OPTUM_FAULT_STATUS", "503,drop")

# --- The two external services the portal speaks to ---------------------------------------------
_sandbox_base = f"{SITE_URL}/sandbox"
CLAIMS_API_BASE_URL = env_str("CLAIMS_API_BASE_URL", f"{_sandbox_base}/api" if SANDBOX_ENABLED else "").rstrip("/")
CLAIMS_API_AUDIENCE = env_str("CLAIMS_API_AUDIENCE", "claims-api")
OIDC_ISSUER_URL = env_str("OIDC_ISSUER_URL", f"{_sandbox_base}/o" if SANDBOX_ENABLED else "").rstrip("/")
OIDC_CLIENT_ID = env_str("OIDC_CLIENT_ID", "benefits-portal" if SANDBOX_ENABLED else "")
# No default: in the development profile with the sandbox, one made on first run (seed_sandbox
# registers the client with it); in production it must be set, sandbox or not.
OIDC_CLIENT_SECRET = env_str("OIDC_CLIENT_SECRET")
if not OIDC_CLIENT_SECRET and DEVELOPMENT and SANDBOX_ENABLED:
    OIDC_CLIENT_SECRET = generated_secret(VAR_DIR / "sandbox-oidc-client-secret", lambda: secrets.token_urlsafe(32))
# Used when the provider's discovery document does not name them (the sandbox's does not).
OIDC_END_SESSION_URL = env_str("OIDC_END_SESSION_URL", f"{_sandbox_base}/o/logout/" if SANDBOX_ENABLED else "")
OIDC_REVOCATION_URL = env_str("OIDC_REVOCATION_URL", f"{_sandbox_base}/o/revoke_token/" if SANDBOX_ENABLED else "")
# Silver (automated adjudication, seeds/003): the administrator's API key and the webhook secret
# Silver sends in the webhook's apiKey header. In the development profile with the sandbox they are
# made on first run (var/) and the sandbox's Silver accepts exactly these; in production they are
# set (optional: without SILVER_BASE_URL the portal does not use Silver).
# (In production it is set by name, even with the sandbox on: then the key and secret must be too.)
SILVER_BASE_URL = env_str("SILVER_BASE_URL", f"{_sandbox_base}/silver" if SANDBOX_ENABLED and DEVELOPMENT else "")
SILVER_BASE_URL = SILVER_BASE_URL.rstrip("/")
SILVER_API_KEY = env_str("SILVER_API_KEY")
SILVER_WEBHOOK_SECRET = env_str("SILVER_WEBHOOK_SECRET")
if DEVELOPMENT and SANDBOX_ENABLED:
    SILVER_API_KEY = SILVER_API_KEY or generated_secret(VAR_DIR / "silver-api-key", lambda: secrets.token_urlsafe(32))
    SILVER_WEBHOOK_SECRET = SILVER_WEBHOOK_SECRET or generated_secret(
        VAR_DIR / "silver-webhook-secret", lambda: secrets.token_urlsafe(32)
    )
# Integrex RCM claim info (seeds/004): OAuth2 client credentials; the client authenticates to the
# token endpoint with HTTP Basic (basic) or with client_id/client_secret in the form (body). In the
# development profile with the sandbox the secret is made on first run (var/) and the sandbox's
# Integrex accepts exactly this id and secret; in production they are set (optional: without
# INTEGREX_BASE_URL no payer is routed to Integrex).
INTEGREX_BASE_URL = env_str(
    "INTEGREX_BASE_URL", f"{_sandbox_base}/integrex" if SANDBOX_ENABLED and DEVELOPMENT else ""
).rstrip("/")
INTEGREX_CLIENT_ID = env_str("INTEGREX_CLIENT_ID")
INTEGREX_CLIENT_SECRET = env_str("INTEGREX_CLIENT_SECRET")
INTEGREX_CLIENT_AUTH = env_str("INTEGREX_CLIENT_AUTH", "basic")
if DEVELOPMENT and SANDBOX_ENABLED:
    INTEGREX_CLIENT_ID = INTEGREX_CLIENT_ID or "benefits-portal"
    INTEGREX_CLIENT_SECRET = INTEGREX_CLIENT_SECRET or generated_secret(
        VAR_DIR / "integrex-client-secret", lambda: secrets.token_urlsafe(32)
    )
# How long a check with an insurer that answers later (Integrex) is waited for, in seconds; the page
# asks again with backoff meanwhile, then says plainly that the insurer did not answer in time.
INSURER_CHECK_WAIT_SECONDS = env_int("INSURER_CHECK_WAIT_SECONDS", 120)
# Optum Claim Status v2 (a member's insurer, seeds/002): client credentials. In the development
# profile with the sandbox, the id is fixed and the secret made on first run (var/), and the
# sandbox's Optum accepts exactly these; in production they are set (optional: without
# OPTUM_BASE_URL the portal does not ask Optum).
OPTUM_BASE_URL = env_str("OPTUM_BASE_URL", f"{_sandbox_base}/optum" if SANDBOX_ENABLED and DEVELOPMENT else "")
OPTUM_BASE_URL = OPTUM_BASE_URL.rstrip("/")
OPTUM_CLIENT_ID = env_str("OPTUM_CLIENT_ID")
OPTUM_CLIENT_SECRET = env_str("OPTUM_CLIENT_SECRET")
if DEVELOPMENT and SANDBOX_ENABLED:
    OPTUM_CLIENT_ID = OPTUM_CLIENT_ID or "benefits-portal"
    OPTUM_CLIENT_SECRET = OPTUM_CLIENT_SECRET or generated_secret(
        VAR_DIR / "optum-client-secret", lambda: secrets.token_urlsafe(32)
    )
# Fernet keys for tokens at rest, comma-separated: the first encrypts, all decrypt (rotation).
# The development profile makes one on first run (kept in var/); it is never derived from anything.
TOKEN_ENCRYPTION_KEYS = env_list("TOKEN_ENCRYPTION_KEYS", [])
if not TOKEN_ENCRYPTION_KEYS and DEVELOPMENT:
    TOKEN_ENCRYPTION_KEYS = [generated_secret(VAR_DIR / "token-encryption-key", lambda: Fernet.generate_key().decode())]
if not TOKEN_ENCRYPTION_KEYS:
    env_required("TOKEN_ENCRYPTION_KEYS")
if not DEVELOPMENT:
    for _name, _value in (
        ("CLAIMS_API_BASE_URL", CLAIMS_API_BASE_URL),
        ("OIDC_ISSUER_URL", OIDC_ISSUER_URL),
        ("OIDC_CLIENT_ID", OIDC_CLIENT_ID),
        ("OIDC_CLIENT_SECRET", OIDC_CLIENT_SECRET),
        *(
            [("SILVER_API_KEY", SILVER_API_KEY), ("SILVER_WEBHOOK_SECRET", SILVER_WEBHOOK_SECRET)]
            if SILVER_BASE_URL
            else []
        ),
        *(
            [("INTEGREX_CLIENT_ID", INTEGREX_CLIENT_ID), ("INTEGREX_CLIENT_SECRET", INTEGREX_CLIENT_SECRET)]
            if INTEGREX_BASE_URL
            else []
        ),
        *(
            [("OPTUM_CLIENT_ID", OPTUM_CLIENT_ID), ("OPTUM_CLIENT_SECRET", OPTUM_CLIENT_SECRET)]
            if OPTUM_BASE_URL
            else []
        ),
    ):
        if not _value:
            env_required(_name)

# Rate limits: (per signed-in user or per browser, per client address for requests with no
# browser id, window in seconds); see portal/ratelimit.py.
RATE_LIMITS = {
    "signin": (env_int("RATE_LIMIT_SIGNIN_PER_USER", 20), env_int("RATE_LIMIT_SIGNIN_PER_IP", 30), 300),
    "upload": (env_int("RATE_LIMIT_UPLOAD_PER_USER", 30), env_int("RATE_LIMIT_UPLOAD_PER_IP", 120), 600),
    # Files given to the receipt check (read by a worker) before they are sent; counted apart
    # from uploads so that checking a file and sending it is not two of the member's uploads.
    "receipt_check": (
        env_int("RATE_LIMIT_RECEIPT_CHECK_PER_USER", 30),
        env_int("RATE_LIMIT_RECEIPT_CHECK_PER_IP", 120),
        600,
    ),
    "denial_update": (env_int("RATE_LIMIT_DENIAL_PER_USER", 30), env_int("RATE_LIMIT_DENIAL_PER_IP", 120), 600),
    "insurer_check": (
        env_int("RATE_LIMIT_INSURER_CHECK_PER_USER", 20),
        env_int("RATE_LIMIT_INSURER_CHECK_PER_IP", 120),
        600,
    ),
}
# New browser ids one client address may be given per window (the sign-in page hands them out).
RATE_LIMIT_NEW_BROWSERS = (env_int("RATE_LIMIT_NEW_BROWSERS_PER_IP", 100), 300)
# How many reverse proxies in front of the app append to X-Forwarded-For (0: trust only
# REMOTE_ADDR). In production set it to the number of load balancers/proxies in front of the app.
RATE_LIMIT_PROXY_HOPS = env_int("RATE_LIMIT_PROXY_HOPS", 0)

# How long a member's full claim list is kept per user (0: not cached; their writes clear it).
CLAIMS_CACHE_SECONDS = env_int("CLAIMS_CACHE_SECONDS", 60)
# A form without its token: a page in words (portal/views.py), not Django's developer page.
CSRF_FAILURE_VIEW = "portal.views.csrf_failure"
# How members reach the plan administrator, named wherever the portal says "contact ...": the API
# offers no contact of its own. Set it to the plan's real service center in production, in English
# (PLAN_CONTACT) and in Spanish (PLAN_CONTACT_ES, used on Spanish pages; without it they show the
# English one). Unset, the portal says "your plan administrator (the phone number is on the back of
# your benefits card)" in the page's language (claims.services.plan_contact).
PLAN_CONTACT = env_str("PLAN_CONTACT", "")
PLAN_CONTACT_ES = env_str("PLAN_CONTACT_ES", "")
# The signed-in user and profile, kept between requests (cleared on every save; see portal.auth_backends).
AUTH_USER_CACHE_SECONDS = env_int("AUTH_USER_CACHE_SECONDS", 60)

# Gateway resilience (see portal/gateway/transport.py).
GATEWAY_CONNECT_TIMEOUT = env_float("GATEWAY_CONNECT_TIMEOUT", 3.05)
GATEWAY_READ_TIMEOUT = env_float("GATEWAY_READ_TIMEOUT", 10.0)
GATEWAY_OVERALL_TIMEOUT = env_float("GATEWAY_OVERALL_TIMEOUT", 30.0)
GATEWAY_RETRIES = env_int("GATEWAY_RETRIES", 3)
GATEWAY_BACKOFF_INITIAL = env_float("GATEWAY_BACKOFF_INITIAL", 0.5)
GATEWAY_BACKOFF_MAX = env_float("GATEWAY_BACKOFF_MAX", 2.0)
GATEWAY_RETRY_AFTER_CAP = env_float("GATEWAY_RETRY_AFTER_CAP", 30.0)

# --- Applications -------------------------------------------------------------------------------
INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "csp",
    "template_partials",
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "portal",
    "claims",
    "receipts",
    "reviews",
    "insurance",
]
if SANDBOX_ENABLED:
    INSTALLED_APPS += ["oauth2_provider", "sandbox"]

MIDDLEWARE = [
    "portal.middleware.RequestIdMiddleware",
    "portal.middleware.NoStoreMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The language cookie, else Accept-Language; the profile's choice is applied once the user is
    # known (portal.languages).
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "portal.languages.MemberLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "portal.middleware.PermissionsPolicyMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "portal.middleware.SessionTimeoutMiddleware",
    "portal.middleware.MemberTimezoneMiddleware",
    "portal.middleware.UpstreamErrorMiddleware",
    "portal.middleware.RequestSizeMiddleware",
    "portal.middleware.BadRequestMiddleware",
]
if SANDBOX_ENABLED:
    # Problem Details, request ids and fault injection for /sandbox/api/ only.
    MIDDLEWARE.insert(1, "sandbox.api.middleware.SandboxApiMiddleware")

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

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
                "portal.context_processors.portal",
            ],
        },
    }
]

# --- Data ---------------------------------------------------------------------------------------
DATABASE_URL = env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'portal.sqlite3'}")
DATABASES = {
    "default": dj_database_url.parse(
        DATABASE_URL, conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60), conn_health_checks=True
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL + IMMEDIATE transactions let the threaded server write without "database is locked".
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    # A file, not memory: live-server threads then each get their own connection.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test-portal.sqlite3")}
elif env_int("DATABASE_POOL_SIZE", 0) > 0:
    # A connection pool per process (psycopg_pool): threads borrow a connection per request instead
    # of each keeping its own, so workers x threads can exceed what PostgreSQL's max_connections
    # allows. Size it so that processes x DATABASE_POOL_SIZE stays under that limit.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = False
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
        "min_size": 2,
        "max_size": env_int("DATABASE_POOL_SIZE", 0),
        "timeout": env_float("DATABASE_POOL_TIMEOUT", 10.0),
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "portal.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env_str("CACHE_KEY_PREFIX", "portal"),
        }
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.cache"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    SESSION_ENGINE = "django.contrib.sessions.backends.db"

# --- Task workers (Celery; see portal/celery.py) ------------------------------------------------
# Task state lives in the portal's own tables (receipts.models.ReceiptCheck): no result backend.
# Production: Redis (REDIS_URL, or a Redis database of its own in CELERY_BROKER_URL), any number
# of workers on any number of machines. Embedded: kombu's SQLAlchemy transport on a SQLite file in
# var/, needing no server. Not the filesystem transport: its consumers take a message by moving
# its file to a shared temporary folder, where two messages of the same name collide and one is
# then skipped for ever, and nothing is transactional. kombu takes each SQLite message inside
# BEGIN IMMEDIATE, so a web process, a scheduler and workers (several processes) never take the
# same message twice. Neither embedded transport keeps a message that a worker took and then died
# with: the watchdog task (receipts.tasks.requeue_stuck_checks) covers that, and with Redis too.
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL") or REDIS_URL or f"sqla+sqlite:///{VAR_DIR / 'task-broker.sqlite3'}"
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
# A task is acknowledged after it ran, not when a worker took it: a worker that dies mid-task
# leaves its message to be delivered again (the task is idempotent).
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Django's LOGGING (one JSON line, redacted) stays in charge of the worker's log lines too.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_WORKER_SEND_TASK_EVENTS = False
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "task-schedule")
if CELERY_BROKER_URL.startswith("redis"):
    CELERY_BROKER_TRANSPORT_OPTIONS: dict[str, object] = {
        # A message a worker took but never acknowledged (it died) goes back to the queue after
        # this long. Longer than any task runs and than the longest retry delay (a task waiting
        # for its retry is unacknowledged too), or it would be delivered twice while still due.
        "visibility_timeout": env_int("CELERY_VISIBILITY_TIMEOUT", 600),
    }
else:
    CELERY_BROKER_TRANSPORT_OPTIONS = {"connect_args": {"timeout": 20}}
    # The embedded transports have no fan-out for remote control (inspect, ping): off.
    CELERY_WORKER_ENABLE_REMOTE_CONTROL = False
# The reader a receipt check uses (dotted path to ``read(data: bytes, mime_type: str) -> Reading``).
# Tasks import it inside their body, so a web process never loads the OCR model.
EVIDENCE_READER = env_str("EVIDENCE_READER", "evidence.read")
# How long a receipt check (the file, encrypted, and what was read) is kept at most.
RECEIPT_CHECK_TTL_SECONDS = env_int("RECEIPT_CHECK_TTL_SECONDS", 2 * 3600)
# How long one attempt to read a file may take before the watchdog gives it to another worker;
# the task's time limits sit inside it, so a live attempt is never given away.
RECEIPT_CHECK_LEASE_SECONDS = env_float("RECEIPT_CHECK_LEASE_SECONDS", 60.0)
RECEIPT_CHECK_MAX_ATTEMPTS = env_int("RECEIPT_CHECK_MAX_ATTEMPTS", 4)
# The first retry's delay after a reader failure; each further one doubles it.
RECEIPT_CHECK_RETRY_SECONDS = env_float("RECEIPT_CHECK_RETRY_SECONDS", 2.0)
RECEIPT_CHECK_WATCHDOG_SECONDS = env_float("RECEIPT_CHECK_WATCHDOG_SECONDS", 15.0)
CELERY_BEAT_SCHEDULE = {
    "requeue-stuck-receipt-checks": {
        "task": "receipts.tasks.requeue_stuck_checks",
        "schedule": RECEIPT_CHECK_WATCHDOG_SECONDS,
    },
    "delete-expired-receipt-checks": {
        "task": "receipts.tasks.delete_expired_checks",
        "schedule": env_float("RECEIPT_CHECK_SWEEP_SECONDS", 600.0),
    },
}
# Automated reviews (reviews/): a submit attempt's lease, how often it is tried, the first retry's
# delay (doubling after), and how long a review waits for its webhook before the poll asks Silver.
REVIEW_SUBMIT_LEASE_SECONDS = env_float("REVIEW_SUBMIT_LEASE_SECONDS", 90.0)
REVIEW_SUBMIT_MAX_ATTEMPTS = env_int("REVIEW_SUBMIT_MAX_ATTEMPTS", 6)
REVIEW_RETRY_SECONDS = env_float("REVIEW_RETRY_SECONDS", 2.0)
REVIEW_POLL_AFTER_SECONDS = env_float("REVIEW_POLL_AFTER_SECONDS", 120.0)
# A submission whose lease passed this long ago (its worker died) is queued again by the poll.
REVIEW_REQUEUE_GRACE_SECONDS = env_float("REVIEW_REQUEUE_GRACE_SECONDS", 30.0)
if SILVER_BASE_URL:
    CELERY_BEAT_SCHEDULE["poll-open-reviews"] = {
        "task": "reviews.tasks.poll_reviews",
        "schedule": env_float("REVIEW_POLL_SECONDS", 30.0),
    }
if SANDBOX_ENABLED:  # the sandbox's Silver adjudicates claims whose task was lost
    CELERY_BEAT_SCHEDULE["sandbox-silver-sweep"] = {
        "task": "sandbox.silver.sweep",
        "schedule": env_float("SANDBOX_SILVER_SWEEP_SECONDS", 60.0),
    }
# `manage.py serve` (make run) starts a worker with the scheduler beside the web server (the
# embedded default); in production workers and the scheduler run as commands of their own.
SERVE_WITH_WORKER = env_bool("SERVE_WITH_WORKER", DEVELOPMENT)
WORKER_CONCURRENCY = env_int("WORKER_CONCURRENCY", 2)

# Receipts travel base64-encoded inside JSON (10 MiB of file is ~13.4 MiB of body).
DATA_UPLOAD_MAX_MEMORY_SIZE = 16 * 1024 * 1024
# No request body may be larger than the largest real one: a receipt form with its 10 files of
# 10 MiB (receipts.filetypes) plus the form around them. Django caps the rest of a body but not the
# files of a multipart form, which it would write to disk whatever their size; bigger requests are
# refused before they are read, with a page in words (portal.middleware.RequestSizeMiddleware).
REQUEST_MAX_BYTES = env_int("REQUEST_MAX_BYTES", 101 * 1024 * 1024)
# Under `make run` waitress refuses a declared body over REQUEST_MAX_BYTES itself, as soon as the
# headers arrive, with the same page (portal.management.commands.serve); gunicorn hands the body
# over unread, so the middleware's refusal reads nothing either.
# The longest query string a portal page takes (filters and a search): longer is a 400 page.
REQUEST_MAX_QUERY_BYTES = env_int("REQUEST_MAX_QUERY_BYTES", 8 * 1024)

# --- Sign-in ------------------------------------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "portal.auth_backends.PortalAuthenticationBackend",  # allauth's, profile read with the user
]
OIDC_PROVIDER_ID = "benefits"
SOCIALACCOUNT_ONLY = True
# Off on purpose: allauth would keep tokens in plain text. portal.signin stores them encrypted.
SOCIALACCOUNT_STORE_TOKENS = False
SOCIALACCOUNT_ADAPTER = "portal.signin.PortalSocialAccountAdapter"
SOCIALACCOUNT_AUTO_SIGNUP = True
SOCIALACCOUNT_LOGIN_ON_GET = False
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_SIGNUP_FIELDS = ["username*"]
SOCIALACCOUNT_PROVIDERS = {
    "openid_connect": {
        "OAUTH_PKCE_ENABLED": True,
        # No email: the portal does not need it. The provider grants each role its own subset.
        "SCOPE": ["openid", "profile", "claims:read", "receipts:read", "receipts:write", "denials:write"],
        "APPS": [
            {
                "provider_id": OIDC_PROVIDER_ID,
                "name": "Benefits sign-in",
                "client_id": OIDC_CLIENT_ID,
                "secret": OIDC_CLIENT_SECRET,
                "settings": {
                    "server_url": OIDC_ISSUER_URL,
                    "token_auth_method": "client_secret_post",
                    "oauth_pkce_enabled": True,
                },
            }
        ],
    }
}
LOGIN_URL = "/signin/"
LOGIN_REDIRECT_URL = "/"

# HIPAA automatic logoff: 15 minutes idle (with a warning 2 minutes before), 12 hours at most.
SESSION_IDLE_TIMEOUT = env_int("SESSION_IDLE_TIMEOUT", 15 * 60)
SESSION_ABSOLUTE_TIMEOUT = env_int("SESSION_ABSOLUTE_TIMEOUT", 12 * 3600)
SESSION_WARNING_LEAD = env_int("SESSION_WARNING_LEAD", 120)
SESSION_COOKIE_AGE = SESSION_ABSOLUTE_TIMEOUT
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# --- The sandbox identity provider (django-oauth-toolkit) ----------------------------------------
# The RSA signing key is generated on first run by sandbox.apps (kept in var/, out of git).
OAUTH2_PROVIDER = {
    "OIDC_ENABLED": True,
    "OIDC_ISS_ENDPOINT": OIDC_ISSUER_URL,
    "OIDC_RSA_PRIVATE_KEY": "",
    "PKCE_REQUIRED": True,
    "ACCESS_TOKEN_EXPIRE_SECONDS": SANDBOX_ACCESS_TOKEN_LIFETIME,
    "REFRESH_TOKEN_EXPIRE_SECONDS": 14 * 24 * 3600,
    "ROTATE_REFRESH_TOKEN": True,
    "ACCESS_TOKEN_GENERATOR": "sandbox.idp.tokens.generate_access_token",
    "REFRESH_TOKEN_GENERATOR": "oauthlib.oauth2.rfc6749.tokens.random_token_generator",
    "OAUTH2_VALIDATOR_CLASS": "sandbox.idp.validators.SandboxOAuth2Validator",
    "SCOPES": {
        "openid": "Sign you in",
        "profile": "Your name and username",
        "email": "Your email address",
        "claims:read": "Read claims",
        "receipts:read": "Read receipts",
        "receipts:write": "Upload receipts",
        "denials:write": "Resolve denials (HR administrators)",
    },
    "DEFAULT_SCOPES": ["openid", "claims:read"],
    # As strict as a real provider (RFC 9700, the OAuth 2.0 security BCP): no implicit or password
    # grant, PKCE required and S256 only, no tokens in query strings, `iss` in the authorization
    # response, tokens stored hashed, a replayed refresh token revokes its whole family, exact
    # redirect URIs (port included: sandbox.idp.validators). Plain http redirect URIs only when
    # the site itself is plain http (the embedded setup on 127.0.0.1).
    "REFRESH_TOKEN_REUSE_PROTECTION": True,
    "ALLOWED_REDIRECT_URI_SCHEMES": ["https"] if _site.scheme == "https" else ["http", "https"],
    "ALLOW_URI_WILDCARDS": False,
    **{
        f"COMPLIANT_BCP_RFC9700_{gate}": True
        for gate in (
            "IMPLICIT_GRANT",
            "PASSWORD_GRANT",
            "PKCE_METHOD",
            "ACCESS_TOKEN_TRANSPORT",
            "AUTHZ_RESPONSE_ISS",
            "TOKEN_STORAGE",
            "REFRESH_TOKEN",
            "REDIRECT_URI_MATCHING",
            "PKCE_REQUIRED",
        )
    },
    # On only with an https site: the embedded setup serves plain http on 127.0.0.1.
    "COMPLIANT_BCP_RFC9700_REDIRECT_URI_SCHEME": _site.scheme == "https",
}

# --- Internationalisation -----------------------------------------------------------------------
# English (the default) and Spanish, both written for readers in the US. Translation costs one
# dictionary look-up per marked string (the catalogs are loaded once per process), measured in
# bench/RESULTS.md; the language is chosen per request by portal.languages.
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("es", "Español")]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["portal.formats"]  # Spanish for the US: US numbers (portal/formats/es)
TIME_ZONE = env_str("PORTAL_TIME_ZONE", "America/New_York")
USE_I18N = True
# The switch's choice for a visitor who is not signed in (a signed-in person's is on their profile).
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
LANGUAGE_COOKIE_SECURE = _site.scheme == "https"
LANGUAGE_COOKIE_HTTPONLY = True
USE_TZ = True

# --- Static files -------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
STATIC_ROOT.mkdir(exist_ok=True)  # whitenoise warns when it is missing
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEVELOPMENT
            else "portal.staticfiles.PortalStaticFilesStorage"
        )
    },
}
MEDIA_ROOT = VAR_DIR / "media"
# Decided by DJANGO_DEBUG, not by the runtime DEBUG (which the test runner turns off).
WHITENOISE_USE_FINDERS = DEVELOPMENT
WHITENOISE_AUTOREFRESH = DEVELOPMENT

# --- Logging: one JSON line per event, nothing personal (see portal/logging.py) ------------------
LOG_LEVEL = env_str("LOG_LEVEL", "INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "request_id": {"()": "portal.logging.RequestIdFilter"},
        "redact": {"()": "portal.logging.RedactFilter"},
        "request_path": {"()": "portal.logging.RequestPathFilter"},
    },
    "formatters": {"json": {"()": "portal.logging.JsonFormatter"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "json",
            "filters": ["request_id", "redact"],
        }
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "django.server": {"level": "WARNING"},
        # "Not Found: /claims/<claim number>/": these log the route template instead of the path.
        "django.request": {"filters": ["request_path"]},
        "django.security.csrf": {"filters": ["request_path"]},
        "waitress.queue": {"level": "ERROR"},
        # Its debug lines carry full URLs (with person ids): never below INFO.
        "urllib3": {"level": "INFO"},
        # The sandbox provider's OAuth library prints raw refresh tokens and codes at DEBUG.
        "oauthlib": {"level": "INFO"},
        "oauth2_provider": {"level": "INFO"},
        # The receipt check's PDF parser warns about damaged files, quoting parts of them.
        "pypdf": {"level": "ERROR"},
    },
}

# --- Serving ------------------------------------------------------------------------------------
# `manage.py serve` (make run): one waitress process, many threads. The portal calls the sandbox
# over HTTP in the same process, so a page can hold a thread while its upstream calls need others:
# keep threads well above the number of concurrent users (see README, "Serving"). Not gunicorn's
# WEB_THREADS (threads per worker process, read by gunicorn.conf.py): one name, one meaning.
SERVE_THREADS = env_int("SERVE_THREADS", 96)

# Content-Security-Policy (django-csp): no inline script or style anywhere, no eval (htmx is told
# so in base.html), forms may post only here and to the identity provider.
_issuer = urlsplit(OIDC_ISSUER_URL) if OIDC_ISSUER_URL else None
_form_targets = ["'self'"] + (
    [f"{_issuer.scheme}://{_issuer.netloc}"] if _issuer and _issuer.netloc != _site.netloc else []
)
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", "blob:"],
        "connect-src": ["'self'"],
        "font-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "frame-ancestors": ["'none'"],
        "form-action": _form_targets,
    }
}
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if not DEVELOPMENT else None
if not DEVELOPMENT:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]  # load balancer probes speak plain HTTP
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 365 * 24 * 3600)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
SESSION_COOKIE_SECURE = _site.scheme == "https"
CSRF_COOKIE_SECURE = _site.scheme == "https"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
