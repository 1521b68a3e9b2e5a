"""Whether OpenUSD and OpenColorIO may print their own warnings while a scan reads with them.

The command line holds them back: each file a library could not load is in the scan's own report, and a
library's warning quotes the file it read. OpenUSD's C++ code also writes some lines straight to standard
error (``failed call to posix_madvise`` for a damaged crate file), so the command line points file
descriptor 2 at the null device while OpenUSD reads. Hosts leave ``HOLD`` unset: holding a library's
warnings, like a file descriptor, is process-wide and would take the host's own too.
"""

from __future__ import annotations

import contextlib
import os
import sys
from contextvars import ContextVar
from typing import Any, Iterator

HOLD: ContextVar[bool] = ContextVar("accsyn_dcc_hold_library_warnings", default=False)


@contextlib.contextmanager
def holding() -> Iterator[None]:
    """``HOLD`` set while open, and the caller's own setting back after (``main`` called in a pipeline's process)."""
    token = HOLD.set(True)
    try:
        yield
    finally:
        HOLD.reset(token)


@contextlib.contextmanager
def openusd_held() -> Iterator[None]:
    """While open (and ``HOLD`` is set), OpenUSD's diagnostics are collected and dropped, not printed."""
    if not HOLD.get():
        yield
        return
    from pxr import UsdUtils

    delegate = UsdUtils.CoalescingDiagnosticDelegate()  # while it lives, OpenUSD prints nothing
    try:
        with _stderr_dropped():
            yield
    finally:
        delegate.TakeUncoalescedDiagnostics()


@contextlib.contextmanager
def _stderr_dropped() -> Iterator[None]:
    """File descriptor 2 on the null device while open, and back after (what Python buffered is written first)."""
    sys.stderr.flush()
    saved = os.dup(2)
    try:
        null = os.open(os.devnull, os.O_WRONLY)
        try:
            os.dup2(null, 2)
        finally:
            os.close(null)
        yield
    finally:
        sys.stderr.flush()
        os.dup2(saved, 2)
        os.close(saved)


@contextlib.contextmanager
def opencolorio_held(ocio: Any) -> Iterator[None]:
    """While open (and ``HOLD`` is set), OpenColorIO logs nothing; its level is put back after."""
    if not HOLD.get():
        yield
        return
    level = ocio.GetLoggingLevel()
    ocio.SetLoggingLevel(ocio.LOGGING_LEVEL_NONE)
    try:
        yield
    finally:
        ocio.SetLoggingLevel(level)
