"""Gunicorn settings for the platform behind nginx (deploy/nginx/yiwang.conf).

Start: ``gunicorn -c deploy/gunicorn.conf.py config.wsgi`` (deploy/systemd/yiwang-web.service does).
Every knob can be changed from the environment file without editing this one.
"""

import multiprocessing
import os

# Only nginx on the same host talks to gunicorn.
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Sync workers, 2 × cores + 1 (5 on the 2-core target): the views are short database requests (large exports
# and e-mails go to Celery), and while one worker waits on PostgreSQL another uses the core. Threads were not
# chosen: the pages are Python-bound, and threads of one worker share one interpreter lock.
workers = int(os.environ.get("WEB_CONCURRENCY", min(2 * multiprocessing.cpu_count() + 1, 9)))
worker_class = "sync"
# Longer than nginx's proxy_read_timeout would be pointless; an import of a large sheet fits well within it.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 60))
graceful_timeout = 30
# Recycle workers now and then, so a slow leak in any library cannot grow without bound. A new worker imports
# the platform and compiles its templates again (~2 s of CPU, bench/README "The shared cost of a page"): every
# 10,000 requests that is ~0.2 ms a request, every 2,000 it was ~1 ms. The app is not preloaded in the master,
# so that `systemctl reload` (HUP) still starts workers on newly deployed code.
max_requests = 10000
max_requests_jitter = 1000
# Logs go to the journal (systemd) or the caller's terminal.
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# No run-time control socket in the service account's home: systemd starts, reloads and stops it.
control_socket_disable = True
# Trust X-Forwarded-* only from nginx on this host.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
