"""A small progress bar on stderr: redrawn in place on a terminal, a line per tenth otherwise."""

import sys
import time
from types import TracebackType
from typing import Self

BAR_WIDTH = 30


class Progress:
    """`with Progress("appointments", total) as bar: bar.advance(n)`."""

    def __init__(self, label: str, total: int) -> None:
        self.label = label
        self.total = max(total, 1)
        self.done = 0
        self.started = time.perf_counter()
        self._interactive = sys.stderr.isatty()
        self._last_shown = -1

    def __enter__(self) -> Self:
        self._show()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        if kind is None and self.done < self.total:
            self.done = self.total
            self._show()
        if self._interactive:
            sys.stderr.write("\n")
        sys.stderr.flush()

    def advance(self, count: int = 1) -> None:
        self.done = min(self.done + count, self.total)
        self._show()

    def _show(self) -> None:
        # Redraw only when the bar moves: printing costs more than the work being counted.
        steps = 100 if self._interactive else 10
        shown = self.done * steps // self.total
        if shown == self._last_shown:
            return
        self._last_shown = shown
        filled = self.done * BAR_WIDTH // self.total
        bar = "#" * filled + "-" * (BAR_WIDTH - filled)
        seconds = time.perf_counter() - self.started
        line = (
            f"  {self.label:<24} [{bar}] {100 * self.done // self.total:3d}% "
            f"{self.done:,}/{self.total:,} {seconds:5.1f}s"
        )
        if self._interactive:
            sys.stderr.write("\r" + line)
        else:
            sys.stderr.write(line + "\n")
        sys.stderr.flush()
