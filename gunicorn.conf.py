"""gunicorn for production: `gunicorn -c gunicorn.conf.py portal.wsgi` (workers x threads from the env).

Threaded workers (gthread): a page spends much of its time waiting for the Claims API, so each
process keeps several requests in flight; three processes per core keep every core busy without
many threads queueing for one process's GIL. Tuned on the 2-core load run machine
(bench/RESULTS.md): 6 workers x 8 threads served more pages, with a shorter tail, than 3 x 16.
"""

import os

bind = os.environ.get("BIND", f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '8000')}")
workers = int(os.environ.get("WEB_WORKERS", str(3 * (os.cpu_count() or 1))))
threads = int(os.environ.get("WEB_THREADS", "8"))
worker_class = "gthread"
keepalive = 75  # longer than a load balancer's idle timeout, so it is the balancer that closes
timeout = 60  # a stuck worker is replaced (the gateway's own deadline is 30 s)
graceful_timeout = 30
max_requests = 20000  # recycle workers now and then, with jitter so they do not all restart at once
max_requests_jitter = 2000
# The portal logs one JSON access line per request itself (portal.access); gunicorn's own is off.
accesslog = None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "warning")
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
