"""``PayCombat``: the blocking client, one typed attribute per resource (``paycombat_tools.resources``)."""

from __future__ import annotations

from typing import Any

from ._base_client import BaseClient
from ._requester import Requester
from ._transport import RequestsTransport, Transport
from .errors import PayCombatError
from .resources import Resources


class PayCombat(Resources, BaseClient[Transport]):
    """A signed PayCombat client: ``client.<resource>.<operation>(...)`` for every catalog operation."""

    def _start(self, transport: Transport | None) -> None:
        self._transport = transport or RequestsTransport(base_url=self.config.base_url)
        self._requester = Requester(self._core, self._transport)
        self._attach_resources(self._requester)

    @classmethod
    def sandbox(cls, **options: Any) -> "PayCombat":
        """A client wired to this process's embedded sandbox (started on first use)."""
        from .sandbox import shared_sandbox

        return shared_sandbox().client(**options)

    def resend(self, error: PayCombatError) -> Any:
        """Send the failed call's identical signed bytes again and return its typed result.

        Safe where the call repeats harmlessly: it carried an idempotency reference (``order_id`` /
        ``organization_reference_id``, filled in automatically), or it is a read, a delete or a PATCH
        that moves no money. After a :class:`NetworkError` whose outcome is unknown this is how to
        finish the call without paying twice.
        """
        return self._requester.run(self._resendable(error))

    def close(self) -> None:
        self._transport.close()

    def __enter__(self) -> "PayCombat":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
