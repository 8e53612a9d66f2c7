"""Webhook payloads: the flat record plus ``type``, as PayCombat POSTs them (no event envelope).

One class per documented webhook page (EVIDENCE S15): PAYIN SUCCESS / FAILED / EXPIRED, PAYOUT
SUCCESS / FAILED / RETURNED, and the VA Register Callback.
"""

from __future__ import annotations

from typing import Literal, Union

from .payins import Payin, VirtualAccount
from .payouts import Payout


class PayinEvent(Payin):
    """A payin webhook with a status no page documents (kept, so nothing is dropped)."""

    type: Literal["PAYIN"] = "PAYIN"


class PayinSuccess(PayinEvent):
    status: Literal["SUCCESS"] = "SUCCESS"


class PayinFailed(PayinEvent):
    status: Literal["FAILED"] = "FAILED"


class PayinExpired(PayinEvent):
    status: Literal["EXPIRED"] = "EXPIRED"


class PayoutEvent(Payout):
    type: Literal["PAYOUT"] = "PAYOUT"


class PayoutSuccess(PayoutEvent):
    status: Literal["SUCCESS"] = "SUCCESS"


class PayoutFailed(PayoutEvent):
    status: Literal["FAILED"] = "FAILED"


class PayoutReturned(PayoutEvent):
    """The beneficiary's bank sent a SUCCESS payout back: the funds are in the wallet again."""

    status: Literal["RETURNED"] = "RETURNED"


class VaRegistered(VirtualAccount):
    """VA Register Callback: the virtual account is APPROVED (payable) or FAILED."""

    status: Literal["APPROVED", "FAILED"]


WebhookEvent = Union[PayinSuccess, PayinFailed, PayinExpired, PayinEvent, PayoutSuccess, PayoutFailed,
                     PayoutReturned, VaRegistered]

#: (type, status) -> event class, for ``parse_webhook``.
EVENT_CLASSES: dict[tuple[str, str], type[WebhookEvent]] = {
    ("PAYIN", "SUCCESS"): PayinSuccess, ("PAYIN", "FAILED"): PayinFailed, ("PAYIN", "EXPIRED"): PayinExpired,
    ("PAYOUT", "SUCCESS"): PayoutSuccess, ("PAYOUT", "FAILED"): PayoutFailed,
    ("PAYOUT", "RETURNED"): PayoutReturned,
}
