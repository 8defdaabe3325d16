"""The portal under test: gunicorn with the production command line, two workers."""

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from types import TracebackType
from typing import Self

from bench.environment import REPO_ROOT
from bench.load import Request, Server

WORKERS = 2
READY_TIMEOUT_SECONDS = 60


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Gunicorn:
    """`with Gunicorn(log_path, metrics_dir) as server:` starts it, waits until it answers,
    stops it. `metrics_dir` is Prometheus' multiprocess directory, as the README deploys
    several workers."""

    def __init__(self, log_path: Path, metrics_dir: Path, *, workers: int = WORKERS) -> None:
        self.log_path = log_path
        self.metrics_dir = metrics_dir
        self.workers = workers
        self.port = free_port()
        self.process: subprocess.Popen[bytes] | None = None
        self.server = Server("127.0.0.1", self.port)

    def command(self) -> list[str]:
        # The README's deployment line, with two workers on a free local port.
        return [
            sys.executable, "-m", "gunicorn", "-c", "config/gunicorn.py", "config.wsgi",
            "--workers", str(self.workers),
            "--bind", f"127.0.0.1:{self.port}",
            "--timeout", "30",
            "--limit-request-line", "8190",
            "--limit-request-fields", "100",
            "--limit-request-field_size", "8190",
        ]  # fmt: skip

    def __enter__(self) -> Self:
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        log = self.log_path.open("ab")
        # Only the server's processes share the metrics directory, not the suite's own.
        environment = {**os.environ, "PROMETHEUS_MULTIPROC_DIR": str(self.metrics_dir)}
        self.process = subprocess.Popen(
            self.command(), cwd=REPO_ROOT, env=environment, stdout=log, stderr=log
        )
        log.close()
        deadline = time.monotonic() + READY_TIMEOUT_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited; see {self.log_path}")
            try:
                answered = self.server.send(Request.get("/health/live")).status == 200
                if answered and len(self.worker_pids()) == self.workers:
                    return self
            except OSError:
                pass
            time.sleep(0.2)
        raise RuntimeError(f"gunicorn did not answer within {READY_TIMEOUT_SECONDS}s")

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)  # graceful: workers finish their request
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def worker_pids(self) -> list[int]:
        """The master's children, read from /proc."""
        if self.process is None:
            return []
        children = []
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            # The command may hold spaces and parentheses: fields follow the last ")".
            parent = int(stat.rsplit(")", 1)[1].split()[1])
            if parent == self.process.pid:
                children.append(int(entry.name))
        return sorted(children)

    def pids(self) -> list[int]:
        """The master's and the workers'."""
        return [self.process.pid, *self.worker_pids()] if self.process else []

    def worker_memory(self) -> list[dict[str, float]]:
        """Resident and peak resident memory of each worker, in MB."""
        found = []
        for pid in self.worker_pids():
            fields = {}
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                name, _, value = line.partition(":")
                if name in ("VmRSS", "VmHWM"):
                    fields[name] = int(value.split()[0]) / 1024  # kB -> MB
            found.append({"pid": pid, "rss_mb": fields["VmRSS"], "peak_rss_mb": fields["VmHWM"]})
        return found
