"""Webhook payloads: the flat record plus ``type``, as PayCombat POSTs them (no event envelope)."""

from __future__ import annotations

from typing import Literal, Union

from .payins import Payin, VirtualAccount
from .payouts import Payout


class PayinEvent(Payin):
    """A payin webhook (SUCCESS, or FAILED/EXPIRED in later doc versions)."""

    type: Literal["PAYIN"] = "PAYIN"


class PayinSuccess(PayinEvent):
    status: Literal["SUCCESS"] = "SUCCESS"


class PayoutSuccess(Payout):
    type: Literal["PAYOUT"] = "PAYOUT"
    status: Literal["SUCCESS"] = "SUCCESS"


class PayoutFailed(Payout):
    type: Literal["PAYOUT"] = "PAYOUT"
    status: Literal["FAILED"] = "FAILED"


class VaRegistered(VirtualAccount):
    """VA Register Callback: the virtual account is APPROVED (payable) or FAILED."""

    status: Literal["APPROVED", "FAILED"]


WebhookEvent = Union[PayinSuccess, PayinEvent, PayoutSuccess, PayoutFailed, VaRegistered]
