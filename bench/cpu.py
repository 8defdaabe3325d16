"""How much of the machine something else used while the suite measured: the figures of a run
on a shared machine are only as good as the CPUs it had."""

import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

# /proc/stat's first line: user nice system idle iowait irq softirq steal ...
IDLE_FIELDS = (3, 4)


def _machine_jiffies() -> tuple[int, int]:
    """(busy, total) clock ticks of all CPUs since boot."""
    fields = [int(value) for value in Path("/proc/stat").read_text().split("\n")[0].split()[1:9]]
    idle = sum(fields[index] for index in IDLE_FIELDS)
    return sum(fields) - idle, sum(fields)


def _process_jiffies(pid: int) -> int | None:
    """User and system ticks of a process (None once it is gone)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = stat.rsplit(")", 1)[1].split()  # the command may hold spaces
    return int(fields[11]) + int(fields[12])  # utime, stime


@dataclass
class Snapshot:
    busy: int
    total: int
    ours: dict[int, int]


class CpuShare:
    """`share = CpuShare(our_pids)`; `share.start()`; ...; `share.others()` is the share of all
    CPUs that processes other than ours (this one, the server's, the database backends serving
    them) used in between."""

    def __init__(self, our_pids: Callable[[], Iterable[int]]) -> None:
        self.our_pids = our_pids
        self.first: Snapshot | None = None

    def _snapshot(self) -> Snapshot:
        busy, total = _machine_jiffies()
        pids = {os.getpid(), *self.our_pids()}
        ours = {pid: ticks for pid in pids if (ticks := _process_jiffies(pid)) is not None}
        return Snapshot(busy, total, ours)

    def start(self) -> None:
        self.first = self._snapshot()

    def others(self) -> float:
        if self.first is None:
            raise RuntimeError("start() first")
        last = self._snapshot()
        before = self.first.ours
        ours = sum(ticks - before[pid] for pid, ticks in last.ours.items() if pid in before)
        elapsed = last.total - self.first.total
        return max(0.0, (last.busy - self.first.busy - ours) / elapsed) if elapsed else 0.0
