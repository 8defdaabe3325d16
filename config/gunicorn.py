"""Gunicorn settings for Prometheus' multiprocess mode: `gunicorn -c config/gunicorn.py
config.wsgi`. With PROMETHEUS_MULTIPROC_DIR set, the master empties that directory when it
starts (old workers' files would be added in) and forgets each worker that exits, so that
/metrics adds up the live workers' values. Other settings come from the command line or
GUNICORN_CMD_ARGS as usual."""

import os
import shutil
from pathlib import Path


def on_starting(server) -> None:
    directory = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if directory:
        shutil.rmtree(directory, ignore_errors=True)
        Path(directory).mkdir(parents=True)


def child_exit(server, worker) -> None:
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
