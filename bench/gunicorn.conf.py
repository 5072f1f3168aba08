"""gunicorn as the benchmark runs it: production settings come from the environment that
bench/run.sh exports (DEBUG=0, random SECRET_KEY, CONN_MAX_AGE=600); two sync workers."""

import os

wsgi_app = "config.wsgi:application"
bind = os.environ.get("BENCH_BIND", "127.0.0.1:8200")
workers = 2
worker_class = "sync"
timeout = 120
accesslog = None
errorlog = "-"
loglevel = "warning"
pidfile = os.environ.get("BENCH_PIDFILE") or None
