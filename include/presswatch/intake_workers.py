"""Worker processes that prepare chunks of correspondent files (intake_prepare) ahead of the loading process.

One interpreter cannot keep two CPUs busy with this work; forked workers can. They never touch a connection.
What a worker logs comes back with its chunk and is logged by the loading process, in order, with that
process's handlers (an Airflow task's log, say), so no two processes write to one log at once and nothing
is lost when the pool shuts down. A worker that dies (the kernel's out-of-memory killer, a signal) or an
error that does not survive the way back stops the run with an error naming the files, instead of leaving
it waiting.
"""

from __future__ import annotations

import contextlib
import gc
import logging
import logging.handlers
import multiprocessing
import os
import traceback
from collections import deque
from collections.abc import Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from . import intake_prepare
from .intake_prepare import PreparedFile, PrepareTask
from .quality import report_suite

log = logging.getLogger(__name__)

# How much lower than the loading process the workers are scheduled (see os.nice).
WORKER_NICENESS = 10


class _Records(list):
    """Where a worker's QueueHandler puts the records (prepared for pickling) until its chunk is done."""

    put_nowait = list.append


_records = _Records()


def _start_worker() -> None:
    logging.getLogger().handlers[:] = [logging.handlers.QueueHandler(_records)]
    # The loading process (and the server it waits on) loads the chunks one after another, and the run is done
    # only when it is: on a busy machine it goes first, and the workers take the CPU time it leaves.
    os.nice(WORKER_NICENESS)
    # A chunk's rows are a million objects, made and dropped by each task, none in a reference cycle. With the
    # cyclic collector running, the first allocation after a chunk walked them all (a tenth of a second a
    # chunk). It runs between tasks instead, when the last chunk is gone (see _prepare_in_worker).
    gc.disable()


def _prepare_in_worker(task: PrepareTask) -> tuple[list[PreparedFile], list[logging.LogRecord]]:
    _records.clear()
    gc.collect()  # what the last task left in a cycle (GX's), while little else is alive
    try:
        prepared = intake_prepare.prepare_files(task)
    except Exception:  # its text always makes the way back; not every exception unpickles (GX's often do not)
        raise RuntimeError(
            f"preparing {', '.join(task.inbox_paths)} failed in a worker process:\n{traceback.format_exc()}"
        ) from None
    return prepared, list(_records)


def _log_here(records: list[logging.LogRecord]) -> None:
    for record in records:
        logger = logging.getLogger(record.name)
        if logger.isEnabledFor(record.levelno):
            logger.handle(record)


def _in_order(pool: ProcessPoolExecutor, tasks: list[PrepareTask], ahead: int) -> Iterator[list[PreparedFile]]:
    """The prepared chunks in order, with at most ``ahead`` chunks handed to the pool and not yet taken: the
    memory held stays bounded however far the workers outrun the loads."""
    waiting: deque[tuple[PrepareTask, Future]] = deque()

    def take() -> list[PreparedFile]:
        prepared, records = waiting[0][1].result()
        waiting.popleft()
        _log_here(records)
        return prepared

    task = tasks[0]
    try:
        for task in tasks:
            waiting.append((task, pool.submit(_prepare_in_worker, task)))
            if len(waiting) > ahead:
                yield take()
        while waiting:
            yield take()
    except BrokenProcessPool as exc:
        # Which chunk the dead worker held is not known; it is one of those handed out and not yet taken.
        suspects = [path for unprepared, _ in waiting for path in unprepared.inbox_paths] or task.inbox_paths
        raise RuntimeError(
            f"a worker process died (killed by the system, out of memory?) while preparing one of these files: "
            f"{', '.join(suspects)}; the files before them were loaded, none from them on"
        ) from exc


@contextlib.contextmanager
def prepared_chunks(tasks: list[PrepareTask], processes: int) -> Iterator[Iterator[list[PreparedFile]]]:
    """The chunks prepared, in order: by ``processes`` worker processes running ahead of the caller, or here
    when that is 1 (or there is one chunk)."""
    if processes <= 1 or len(tasks) <= 1:
        yield map(intake_prepare.prepare_files, tasks)
        return
    workers = min(processes, len(tasks))
    first = tasks[0]
    # The suite is built before the workers fork (a second of imports), so that each starts with it ready.
    report_suite.warm_up(first.regions, first.category_groups, first.today)
    # What this process holds goes to the collector's permanent generation while workers fork, so that their
    # collections never walk it (and copy its pages on the way).
    gc.freeze()
    pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork"), initializer=_start_worker)
    try:
        log.info("preparing %d files in %d worker processes", sum(len(t.inbox_paths) for t in tasks), workers)
        yield _in_order(pool, tasks, ahead=workers + 1)
    finally:
        # Chunks not started are dropped; those being prepared are waited for (a second or two), so no worker
        # outlives the run.
        pool.shutdown(wait=True, cancel_futures=True)
        gc.unfreeze()
