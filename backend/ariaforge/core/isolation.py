"""Bounded native and CPU work: a function run in a warm child process under a hard time limit.

Why a process and not a thread: Verovio (C++) and music21's parsers can run for minutes on
hostile input, a thread cannot be stopped, and native code that keeps the GIL freezes the
whole API (even its signal handling, so SIGTERM went unanswered). A child process can be
killed at its deadline, and its crash or memory blow-up stays its own.

A `WorkPool` keeps up to `processes` warm workers (`python -m ariaforge.core.isolation`,
with the pool's modules imported once, so a call costs a pipe round trip, not an
interpreter start). A call takes an idle worker, or starts one, sends `(function, args)`
as a pickle over the worker's stdin and waits for the answer on its stdout until the time
limit. On timeout, cancellation or shutdown the worker is killed (SIGKILL) and a fresh one
is started in the background. The waiting happens in a thread, so the event loop keeps
serving other requests.

No worker outlives the API: each is started by one long-lived spawner thread and asks the
kernel to SIGKILL it when that thread (so the process) ends; each job also runs under a
CPU-time rlimit the kernel enforces even if the parent is gone; and a SIGTERM/SIGINT of
the API kills running workers at once (`_chain_shutdown_signals`), so a graceful shutdown
does not wait for an engraving to reach its limit.
"""

from __future__ import annotations

import atexit
import contextlib
import ctypes
import importlib
import logging
import os
import pickle
import queue
import resource
import select
import signal
import struct
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future
from types import FrameType
from typing import Any, BinaryIO, TypeVar

from anyio import get_cancelled_exc_class, to_thread

# Nothing from the web stack is imported here: every worker process imports this module.
logger = logging.getLogger(__name__)

T = TypeVar("T")

_FRAME = struct.Struct(">Q")
_POLL_S = 0.1  # how often a waiting thread looks at its abort flag
_STARTUP_LIMIT_S = 60.0  # an interpreter start plus the pool's imports, on a busy machine
_CPU_MARGIN_S = 5  # the kernel's CPU-time backstop sits this far past the wall-clock limit
_PR_SET_PDEATHSIG = 1
DEFAULT_PROCESSES = 2
DEFAULT_MEMORY_BYTES = 4 * 1024**3


# --- errors -------------------------------------------------------------------------


class WorkTimedOut(Exception):
    """The call ran past its time limit; its worker was killed."""

    def __init__(self, limit_s: float) -> None:
        super().__init__(f"stopped after {limit_s:g} s")
        self.limit_s = limit_s


class WorkCrashed(Exception):
    """The worker died during the call (killed for memory, a native crash)."""


class WorkFailed(Exception):
    """The function raised an exception that could not be sent back as itself."""

    def __init__(self, type_name: str, message: str) -> None:
        super().__init__(f"{type_name}: {message}")
        self.type_name = type_name


class WorkUnavailable(Exception):
    """No worker could take the call: all busy past the wait limit, or shutting down.
    Callers answer 503 with Retry-After."""

    retry_after = 5


class _Aborted(Exception):
    pass


# --- settings -----------------------------------------------------------------------


def seconds_from_env(name: str, default: float) -> float:
    """A positive number of seconds from the environment (tests set small limits)."""
    try:
        value = float(os.environ.get(name, default))
    except ValueError:
        logger.warning("%s is not a number; using %s s", name, default)
        return default
    return value if value > 0 else default


def _int_from_env(name: str, default: int) -> int:
    try:
        value = int(os.environ.get(name, default))
    except ValueError:
        return default
    return value if value > 0 else default


# --- framing (both sides) -----------------------------------------------------------


def _write_frame(stream: BinaryIO, message: object) -> None:
    data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(_FRAME.pack(len(data)) + data)
    stream.flush()


def _read_exact(fd: int, size: int, deadline: float, abort: threading.Event) -> bytes:
    """`size` bytes from `fd`, waiting at most until `deadline` (monotonic)."""
    parts: list[bytes] = []
    remaining = size
    while remaining:
        if abort.is_set():
            raise _Aborted
        wait = min(_POLL_S, deadline - time.monotonic())
        if wait <= 0:
            raise TimeoutError
        ready, _, _ = select.select([fd], [], [], wait)
        if not ready:
            continue
        chunk = os.read(fd, min(remaining, 1 << 20))
        if not chunk:
            raise EOFError
        parts.append(chunk)
        remaining -= len(chunk)
    return b"".join(parts)


def _read_frame(fd: int, deadline: float, abort: threading.Event) -> Any:
    (size,) = _FRAME.unpack(_read_exact(fd, _FRAME.size, deadline, abort))
    return pickle.loads(_read_exact(fd, size, deadline, abort))  # noqa: S301 - our own child


# --- starting workers ---------------------------------------------------------------


def _die_with_spawner() -> None:
    """In the child before exec: SIGKILL it when the thread that started it ends."""
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)


class _Spawner:
    """One daemon thread that starts every worker.

    The kernel's parent-death signal fires when the *thread* that forked the child ends;
    threads from anyio's pool come and go, this one lives as long as the process.
    """

    def __init__(self) -> None:
        self._requests: queue.SimpleQueue[
            tuple[list[str], Future[subprocess.Popen[bytes]]]] = queue.SimpleQueue()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    def start(self, command: list[str]) -> subprocess.Popen[bytes]:
        with self._lock:
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._serve, name="isolation-spawner",
                                                daemon=True)
                self._thread.start()
        result: Future[subprocess.Popen[bytes]] = Future()
        self._requests.put((command, result))
        return result.result(timeout=_STARTUP_LIMIT_S)

    def _serve(self) -> None:
        while True:
            command, result = self._requests.get()
            try:
                process = subprocess.Popen(  # noqa: S603 - our own interpreter and module
                    command, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                    # Native libraries print about bad input; the answer travels in frames.
                    stderr=subprocess.DEVNULL, preexec_fn=_die_with_spawner,
                    close_fds=True)
            except BaseException as error:
                result.set_exception(error)
            else:
                result.set_result(process)


_spawner = _Spawner()


class _Worker:
    """One child process and its pipes; used by one call at a time."""

    def __init__(self, process: subprocess.Popen[bytes]) -> None:
        assert process.stdin is not None
        assert process.stdout is not None
        self.process = process
        self.pid = process.pid
        self._stdin = process.stdin
        self._stdout = process.stdout.fileno()

    def wait_ready(self, abort: threading.Event) -> None:
        reply = _read_frame(self._stdout, time.monotonic() + _STARTUP_LIMIT_S, abort)
        if reply != ("ready", self.pid):
            raise WorkCrashed(f"the worker started badly: {reply!r}"[:200])

    def send(self, request: bytes) -> None:
        self._stdin.write(_FRAME.pack(len(request)) + request)
        self._stdin.flush()

    def receive(self, deadline: float, abort: threading.Event) -> Any:
        return _read_frame(self._stdout, deadline, abort)

    def kill(self) -> None:
        with contextlib.suppress(OSError):
            self.process.kill()
        with contextlib.suppress(OSError, subprocess.TimeoutExpired):
            self.process.wait(timeout=10)
        for stream in (self.process.stdin, self.process.stdout):
            with contextlib.suppress(OSError):
                if stream is not None:
                    stream.close()

    def alive(self) -> bool:
        return self.process.poll() is None


# --- the pool -----------------------------------------------------------------------


class WorkPool:
    """Warm worker processes for one kind of work (see the module notes)."""

    def __init__(self, name: str, preload: tuple[str, ...], processes: int | None = None,
                 memory_bytes: int | None = None) -> None:
        self.name = name
        self.preload = preload
        self.processes = processes or _int_from_env("WORK_PROCESSES", DEFAULT_PROCESSES)
        self.memory_bytes = memory_bytes or _int_from_env("WORK_MEMORY_BYTES",
                                                          DEFAULT_MEMORY_BYTES)
        self._slots = threading.BoundedSemaphore(self.processes)
        self._idle: list[_Worker] = []
        self._lock = threading.Lock()
        # Read without the lock by the signal handler: a set copied in one C call.
        self._pids: set[int] = set()
        self.closed = False
        self.calls = 0  # calls sent to a worker (tests and metrics read it)
        _POOLS.append(self)

    # --- calls ---

    async def run(self, limit_s: float, function: Callable[..., T], *args: Any) -> T:
        """`function(*args)` in a worker; WorkTimedOut past `limit_s` seconds of running.

        Waiting for a free worker is bounded too (by `limit_s`): WorkUnavailable (503).
        Cancelling the caller (a client gone, a shutdown deadline) kills the worker.
        """
        _chain_shutdown_signals()
        abort = threading.Event()
        try:
            return await to_thread.run_sync(self.call, limit_s, function, args, abort,
                                            abandon_on_cancel=True)
        except get_cancelled_exc_class():
            abort.set()  # the thread kills the worker within _POLL_S
            raise

    def call(self, limit_s: float, function: Callable[..., T], args: tuple[Any, ...],
             abort: threading.Event | None = None) -> T:
        """Blocking form of `run`, for threads and command-line tools."""
        abort = abort or threading.Event()
        request = pickle.dumps((function, args, limit_s, self.memory_bytes),
                               protocol=pickle.HIGHEST_PROTOCOL)
        self._take_slot(limit_s, abort)
        self.calls += 1
        try:
            reply = self._call_worker(request, limit_s, abort)
        finally:
            self._slots.release()
        result: T = self._unpack(reply)
        return result

    def _call_worker(self, request: bytes, limit_s: float, abort: threading.Event) -> Any:
        """Send the call to a worker and wait for its reply; an idle worker found dead
        when the call is sent (killed meanwhile) is replaced once."""
        for attempt in (1, 2):
            worker = self._checkout(abort)
            try:
                worker.send(request)
            except OSError:
                self._discard(worker)
                if attempt == 2 or self.closed:
                    raise WorkCrashed(f"the {self.name} worker stopped unexpectedly") from None
                continue
            try:
                reply = self._receive(worker, limit_s, abort)
            except BaseException:
                self._discard(worker)
                raise
            self._checkin(worker)
            return reply
        raise AssertionError("unreachable")

    def _receive(self, worker: _Worker, limit_s: float, abort: threading.Event) -> Any:
        try:
            return worker.receive(time.monotonic() + limit_s, abort)
        except TimeoutError:
            logger.warning("%s work stopped at its %g s limit", self.name, limit_s)
            raise WorkTimedOut(limit_s) from None
        except _Aborted:
            raise WorkUnavailable(self._stopped_message()) from None
        except (EOFError, OSError, pickle.UnpicklingError) as error:
            if self.closed:
                raise WorkUnavailable(self._stopped_message()) from None
            logger.warning("a %s worker died during a call: %s", self.name,
                           type(error).__name__)
            raise WorkCrashed(f"the {self.name} worker stopped unexpectedly") from None

    @staticmethod
    def _unpack(reply: Any) -> Any:
        kind = reply[0]
        if kind == "ok":
            return reply[1]
        if kind == "raised":
            raise reply[1]
        raise WorkFailed(str(reply[1]), str(reply[2]))

    def _stopped_message(self) -> str:
        return "the server is shutting down; try again shortly"

    # --- slots and workers ---

    def _take_slot(self, wait_s: float, abort: threading.Event) -> None:
        deadline = time.monotonic() + wait_s
        while not self._slots.acquire(timeout=_POLL_S):
            if self.closed or abort.is_set():
                raise WorkUnavailable(self._stopped_message())
            if time.monotonic() > deadline:
                raise WorkUnavailable(f"the server is busy ({self.name}); try again shortly")
        if self.closed:
            self._slots.release()
            raise WorkUnavailable(self._stopped_message())

    def _checkout(self, abort: threading.Event) -> _Worker:
        with self._lock:
            while self._idle:
                worker = self._idle.pop()
                if worker.alive():
                    return worker
                self._forget(worker)
        return self._start(abort)

    def _checkin(self, worker: _Worker) -> None:
        with self._lock:
            if not self.closed and worker.alive():
                self._idle.append(worker)
                return
        self._discard(worker)

    def _discard(self, worker: _Worker) -> None:
        """Kill a worker whose call went wrong, and warm a replacement in the background."""
        self._forget(worker)
        worker.kill()
        if not self.closed:
            threading.Thread(target=self._prewarm, name=f"{self.name}-prewarm",
                             daemon=True).start()

    def _forget(self, worker: _Worker) -> None:
        self._pids.discard(worker.pid)

    def _start(self, abort: threading.Event) -> _Worker:
        command = [sys.executable, "-m", "ariaforge.core.isolation", *self.preload]
        try:
            worker = _Worker(_spawner.start(command))
        except OSError as error:
            raise WorkCrashed(f"cannot start a {self.name} worker: {error}") from error
        self._pids.add(worker.pid)
        if self.closed:  # closed while it started: the signal handler did not see it
            self._discard(worker)
            raise WorkUnavailable(self._stopped_message())
        try:
            worker.wait_ready(abort)
        except (TimeoutError, EOFError, OSError, pickle.UnpicklingError, _Aborted) as error:
            self._discard(worker)
            if self.closed or isinstance(error, _Aborted):
                raise WorkUnavailable(self._stopped_message()) from None
            raise WorkCrashed(f"a {self.name} worker did not start") from None
        return worker

    def _prewarm(self) -> None:
        """Start one idle worker if the pool has none, so the next call finds it warm."""
        with self._lock:
            if self._idle or self.closed:
                return
        try:
            worker = self._start(threading.Event())
        except (WorkCrashed, WorkUnavailable):
            return
        self._checkin(worker)

    def warm(self) -> None:
        """Start a worker now (in the background) instead of on the first call. From the
        main thread (the API's lifespan) this also chains the shutdown signals: a SIGTERM
        that comes before the first call must still close the pool, or a request already
        on its way to it would start work no one stops until the shutdown grace ends."""
        _chain_shutdown_signals()
        threading.Thread(target=self._prewarm, name=f"{self.name}-prewarm", daemon=True).start()

    # --- shutdown ---

    def kill_all(self) -> None:
        """Signal-safe: refuse new calls and SIGKILL every worker, without taking locks.

        Threads waiting on those workers see their pipes close and answer at once.
        """
        self.closed = True
        for pid in list(self._pids):
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)

    def close(self) -> None:
        """Stop the pool: kill every worker and reap the idle ones."""
        self.kill_all()
        with self._lock:
            idle, self._idle = self._idle, []
        for worker in idle:
            self._forget(worker)
            worker.kill()

    def worker_pids(self) -> set[int]:
        return set(self._pids)


_POOLS: list[WorkPool] = []


def close_pools() -> None:
    """Kill every worker of every pool (at exit, or from the app's lifespan shutdown)."""
    for pool in list(_POOLS):
        pool.close()


atexit.register(close_pools)


# --- prompt shutdown on SIGTERM / SIGINT --------------------------------------------

_chained = False


def _chain_shutdown_signals() -> None:
    """Kill running work as soon as the process is asked to stop.

    uvicorn tells the application nothing until every open request has been answered,
    so an engraving would hold a graceful shutdown until its time limit. Wrapping the
    Python handler already installed (uvicorn's, while it serves) kills the workers
    first: their callers answer 503 at once and uvicorn's own handler runs as before.
    Only in the main thread (the only one that may set handlers) and only over a Python
    handler: a default or ignored signal is left alone.
    """
    global _chained
    if _chained or threading.current_thread() is not threading.main_thread():
        return
    _chained = True
    for signum in (signal.SIGTERM, signal.SIGINT):
        previous = signal.getsignal(signum)
        if callable(previous):
            signal.signal(signum, _wrap_handler(previous))


def _wrap_handler(previous: Callable[[int, FrameType | None], Any],
                  ) -> Callable[[int, FrameType | None], Any]:
    def handler(signum: int, frame: FrameType | None) -> Any:
        for pool in list(_POOLS):
            pool.kill_all()
        return previous(signum, frame)

    return handler


# --- the worker process -------------------------------------------------------------


def _limit_cpu(seconds: float | None) -> None:
    """The kernel's backstop: SIGXCPU (which terminates) once this process has used
    `seconds` more CPU time, even if nobody is left to kill it. None lifts it."""
    _, hard = resource.getrlimit(resource.RLIMIT_CPU)
    if seconds is None:
        resource.setrlimit(resource.RLIMIT_CPU, (hard, hard))
        return
    used = resource.getrusage(resource.RUSAGE_SELF)
    soft = int(used.ru_utime + used.ru_stime + seconds) + _CPU_MARGIN_S
    if hard != resource.RLIM_INFINITY:
        soft = min(soft, hard)
    resource.setrlimit(resource.RLIMIT_CPU, (soft, hard))


def _limit_memory(size: int) -> None:
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard == resource.RLIM_INFINITY or size <= hard:
        resource.setrlimit(resource.RLIMIT_AS, (size, hard))


def _reply_for(function: Callable[..., Any], args: tuple[Any, ...]) -> tuple[Any, ...]:
    try:
        result = function(*args)
    except MemoryError:
        return ("failed", "MemoryError", "out of memory")
    except Exception as error:
        try:
            pickle.loads(pickle.dumps(error))  # noqa: S301 - checking our own object
        except Exception:
            return ("failed", type(error).__name__, str(error)[:500])
        return ("raised", error)
    return ("ok", result)


def _serve_child(preload: list[str]) -> None:
    """The worker's loop: import `preload`, say ready, then answer calls until EOF."""
    requests = os.fdopen(os.dup(0), "rb")
    replies = os.fdopen(os.dup(1), "wb")
    # Stray prints from native code must not corrupt the frames on stdout.
    devnull = os.open(os.devnull, os.O_RDWR)
    os.dup2(devnull, 0)
    os.dup2(devnull, 1)
    for module in preload:
        importlib.import_module(module)
    _write_frame(replies, ("ready", os.getpid()))
    while True:
        header = requests.read(_FRAME.size)
        if len(header) < _FRAME.size:
            return  # the parent closed the pipe
        (size,) = _FRAME.unpack(header)
        function, args, limit_s, memory_bytes = pickle.loads(  # noqa: S301 - our parent
            requests.read(size))
        _limit_memory(memory_bytes)
        _limit_cpu(limit_s)
        reply = _reply_for(function, args)
        _limit_cpu(None)
        try:
            _write_frame(replies, reply)
        except (pickle.PicklingError, TypeError, AttributeError) as error:
            _write_frame(replies, ("failed", type(error).__name__, "unsendable result"))


if __name__ == "__main__":
    _serve_child(sys.argv[1:])
