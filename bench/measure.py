"""Timing for the benchmarks: samples in milliseconds, and how they are summarised."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable


def timed(
    function: Callable[[], object],
    runs: int,
    *,
    before: Callable[[], object] | None = None,
    warm: bool = False,
) -> tuple[list[float], object]:
    """Run ``function`` ``runs`` times (``before`` each, untimed; ``warm``: once first, as
    a long-running server would have); the samples in ms and the last result."""
    if warm:
        function()
    samples, result = [], None
    for _ in range(runs):
        if before is not None:
            before()
        start = time.perf_counter()
        result = function()
        samples.append((time.perf_counter() - start) * 1000)
    return samples, result


def summary(samples: list[float]) -> str:
    p95 = sorted(samples)[max(0, round(len(samples) * 0.95) - 1)]
    return f"median {statistics.median(samples):8.1f} ms   p95 {p95:8.1f} ms"
