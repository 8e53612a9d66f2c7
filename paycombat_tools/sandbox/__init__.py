"""A stateful local PayCombat: the embedded default for tutorials, tests and agent tools.

``with Sandbox() as sb: client = sb.client()`` or ``PayCombat.sandbox()`` for a process-wide one.
"""

from __future__ import annotations

import atexit
import threading

from ._errors import ApiError
from ._faults import Faults
from ._pages import hosted_pay_url
from ._server import ManualClock, Sandbox

__all__ = ["ApiError", "Faults", "ManualClock", "Sandbox", "hosted_pay_url", "shared_sandbox"]

_shared: Sandbox | None = None
_shared_lock = threading.Lock()


def shared_sandbox() -> Sandbox:
    """The process-wide sandbox behind ``PayCombat.sandbox()``, started on first use."""
    global _shared
    with _shared_lock:
        if _shared is None:
            _shared = Sandbox()
            atexit.register(_shared.close)
        return _shared
