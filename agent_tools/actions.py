"""Guarded actions: their states, the refusal error, and how arguments are validated and sealed."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import Enum
from typing import Any

from paycombat_tools.catalog import Operation
from paycombat_tools.redaction import redact_value
from paycombat_tools.signing import canonical_json, parse_json

from .policy import Money

__all__ = ["ActionRefused", "ActionStatus", "PendingAction", "digest", "normalise", "result_ref", "seal", "sealed_payee",
           "unseal"]


class ActionStatus(str, Enum):
    PENDING = "PENDING"
    APPROVED = "APPROVED"  # approved: executing now, or waiting for the process that holds the client
    EXECUTED = "EXECUTED"
    FAILED = "FAILED"
    REJECTED = "REJECTED"
    EXPIRED = "EXPIRED"
    VOID = "VOID"  # its sealed arguments no longer match the proposal


class ActionRefused(Exception):
    """The guard said no; ``code`` is machine-readable, ``reason`` is for people."""

    def __init__(self, reason: str, *, code: str, action_id: str | None = None) -> None:
        super().__init__(reason)
        self.reason, self.code, self.action_id = reason, code, action_id


@dataclass(frozen=True)
class PendingAction:
    """A snapshot of one guarded action (changing it changes nothing in the guard)."""

    action_id: str
    operation: str
    risk: str
    arguments: dict[str, Any]
    digest: str
    summary: str
    money: Money | None
    reference_field: str | None
    reference: str | None
    proposed_by: str
    created_at: datetime
    expires_at: datetime
    status: ActionStatus = ActionStatus.PENDING
    decided_by: str | None = None
    decided_at: datetime | None = None
    result: Any = None
    error: str | None = None
    outcome_unknown: bool = False
    facts: dict[str, Any] = field(default_factory=dict)
    confirmed_by_read_back: bool = False  # the call errored but reading the record showed it took effect


def digest(data: bytes) -> str:
    """sha256 hex of sealed bytes."""
    return hashlib.sha256(data).hexdigest()


def seal(operation: str, arguments: Mapping[str, Any], *, payee: Mapping[str, Any] | None = None) -> bytes:
    """The canonical JSON bytes of an action: what is digested, stored and executed.

    ``payee`` is the saved beneficiary as read at proposal (a payout by ``payout_beneficiary_id``):
    sealed with the arguments, compared with a fresh read before the payout runs.
    """
    sealed: dict[str, Any] = {"operation": operation, "arguments": arguments}
    if payee is not None:
        sealed["payee"] = payee
    return canonical_json(sealed)


def unseal(sealed: bytes) -> dict[str, Any]:
    """The arguments back from sealed bytes (Decimals for non-integer numbers)."""
    arguments: dict[str, Any] = parse_json(sealed)["arguments"]
    return arguments


def sealed_payee(sealed: bytes) -> dict[str, Any] | None:
    """The payee sealed at proposal, or None when the action names no saved beneficiary."""
    payee: dict[str, Any] | None = parse_json(sealed).get("payee")
    return payee


def normalise(op: Operation, arguments: Mapping[str, Any]) -> dict[str, Any]:
    """Path parameters plus the request model's fields, validated as the client will send them."""
    from pydantic import ValidationError

    args = dict(arguments)
    path = {name: args.pop(name, None) for name in op.path_params}
    for name, value in path.items():
        if not isinstance(value, str) or not value.strip():
            raise ActionRefused(f"invalid arguments: {name} is required", code="invalid_arguments")
    model = op.request_model
    if model is None:
        if args:
            raise ActionRefused(f"invalid arguments: {op.name} takes no fields ({', '.join(args)})",
                                code="invalid_arguments")
        body: dict[str, Any] = {}
    else:
        try:
            body = model.model_validate(args).model_dump(mode="python", exclude_none=True, by_alias=True)
        except ValidationError as error:
            problems = "; ".join(f"{'.'.join(map(str, e['loc'])) or 'arguments'}: {e['msg']}"
                                 for e in error.errors(include_url=False, include_input=False))
            raise ActionRefused(f"invalid arguments: {problems}", code="invalid_arguments") from None
    normalised = {**path, **body}
    try:
        canonical_json(normalised)
    except ValueError as error:
        raise ActionRefused(f"invalid arguments: {error}", code="invalid_arguments") from None
    return normalised


def result_ref(result: Any) -> dict[str, Any]:
    """The identifying fields of an API result (ids, references, status), for logs and the model.

    A field the record's model marks sandbox-only (a checkout's ``status``) is left out, so what the
    audit log and a model see means the same against PayCombat's API.
    """
    from .results import is_sandbox_only

    data = result.model_dump(mode="python") if hasattr(result, "model_dump") else {}
    keys = ("id", "payout_beneficiary_id", "customer_id", "order_id", "organization_reference_id", "status")
    return {key: redact_value(data[key]) for key in keys
            if data.get(key) is not None and not is_sandbox_only(result, key)}
