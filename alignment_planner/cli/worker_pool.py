"""Run a function over many inputs in worker processes, in order, surviving dead workers.

``multiprocessing.Pool`` loses the tasks of a worker that dies (killed by the OOM killer, by a user,
or by a native crash) and waits for them forever: ``measure --jobs 2`` hung (issue 16). Here a
``ProcessPoolExecutor`` reports the death as ``BrokenProcessPool``; the chunks that were in flight
are then run again, each alone in a fresh one-worker pool, so that a chunk whose work kills its
worker again is found and its inputs reported as failed (``on_death``), while every other input is
still processed. The run always finishes.
"""

from __future__ import annotations

import multiprocessing
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import TypeVar

In = TypeVar("In")
Out = TypeVar("Out")


def _run_chunk(function: Callable[[In], Out], chunk: Sequence[In]) -> list[Out]:
    return [function(item) for item in chunk]


def _context() -> multiprocessing.context.BaseContext:
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    return multiprocessing.get_context(method)


def map_in_workers(
    function: Callable[[In], Out],
    items: Sequence[In],
    on_death: Callable[[In], Out],
    *,
    jobs: int,
    chunk: int,
) -> Iterator[Out]:
    """``function(item)`` for every item, in order, computed by ``jobs`` worker processes;
    ``on_death(item)`` for the items of a chunk whose worker died while computing it twice."""
    chunks = [items[i : i + chunk] for i in range(0, len(items), chunk)]
    window = max(2 * jobs, 2)  # chunks in flight: enough to keep workers busy, little memory
    position = 0
    while position < len(chunks):
        executor = ProcessPoolExecutor(max_workers=jobs, mp_context=_context())
        in_flight: deque[tuple[int, Future[list[Out]]]] = deque()
        broken = False
        try:
            next_submit = position
            while position < len(chunks):
                while next_submit < len(chunks) and len(in_flight) < window:
                    in_flight.append(
                        (next_submit, executor.submit(_run_chunk, function, chunks[next_submit]))
                    )
                    next_submit += 1
                index, future = in_flight.popleft()
                try:
                    results = future.result()
                except BrokenProcessPool:
                    broken = True
                    break
                position = index + 1
                yield from results
        finally:
            executor.shutdown(wait=not broken, cancel_futures=True)
        if broken:
            # The chunk at ``position`` was in flight when a worker died: run it alone, so that
            # a second death is its own.
            yield from _isolated(function, chunks[position], on_death)
            position += 1


def _isolated(
    function: Callable[[In], Out], chunk: Sequence[In], on_death: Callable[[In], Out]
) -> list[Out]:
    with ProcessPoolExecutor(max_workers=1, mp_context=_context()) as alone:
        try:
            return alone.submit(_run_chunk, function, chunk).result()
        except BrokenProcessPool:
            pass
    # Died twice: find the item(s) that kill, one worker each, so the others still count.
    results: list[Out] = []
    for item in chunk:
        with ProcessPoolExecutor(max_workers=1, mp_context=_context()) as single:
            try:
                results.extend(single.submit(_run_chunk, function, [item]).result())
            except BrokenProcessPool:
                results.append(on_death(item))
    return results
