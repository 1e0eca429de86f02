"""The import's pause of the garbage collector is the process's: with two imports in two
server threads, the collector must come back on when the last one ends, whatever order
they enter and leave in."""

from __future__ import annotations

import gc
import threading

from kithkin.importers.records import collecting_later


def test_nested_and_overlapping_blocks_restore_the_collector() -> None:
    assert gc.isenabled()
    first, second = collecting_later(), collecting_later()
    first.__enter__()
    assert not gc.isenabled()
    second.__enter__()  # the other thread arrives while the collector is off
    first.__exit__(None, None, None)
    assert not gc.isenabled(), "the second import still runs"
    second.__exit__(None, None, None)
    assert gc.isenabled()


def test_threads_leave_the_collector_on() -> None:
    start = threading.Barrier(8)

    def work() -> None:
        start.wait()
        for _ in range(200):
            with collecting_later():
                pass

    threads = [threading.Thread(target=work) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert gc.isenabled()


def test_a_collector_switched_off_before_stays_off() -> None:
    gc.disable()
    try:
        with collecting_later():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
