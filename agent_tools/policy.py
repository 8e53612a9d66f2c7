"""``ConfirmationPolicy``: the limits a guarded action must fit, at proposal and again at approval."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from decimal import Decimal
from typing import Any

from paycombat_tools.catalog import CATALOG
from paycombat_tools.money import to_decimal

__all__ = ["AutoApprove", "ConfirmationPolicy", "Money", "money_of", "payout_method_of", "policy_data",
           "policy_from_data", "spent_by_action", "spent_today"]


@dataclass(frozen=True)
class Money:
    """An amount in one currency (``Decimal``, never float)."""

    amount: Decimal
    currency: str

    def __str__(self) -> str:
        return f"{self.currency} {self.amount}"


def money_of(operation: str, arguments: Mapping[str, Any]) -> Money | None:
    """The amount an action moves, from its request model's first money field (None if it has none)."""
    model = CATALOG[operation].request_model
    fields: Mapping[str, str] = getattr(model, "money_fields", {}) or {}
    for amount_field, currency_field in fields.items():
        amount, currency = arguments.get(amount_field), arguments.get(currency_field)
        if amount is not None and currency:
            return Money(to_decimal(amount), str(currency).upper())
    return None


def payout_method_of(operation: str, arguments: Mapping[str, Any]) -> str | None:
    """The payout method an action uses (payouts and beneficiaries only)."""
    if CATALOG[operation].resource in ("payouts", "beneficiaries"):
        name = arguments.get("payout_method_name")
        return str(name) if name else None
    return None


def spent_today(entries: Iterable[Mapping[str, Any]], currency: str, now: datetime) -> Decimal:
    """Today's (UTC) approved amounts in ``currency``, from the audit log, except those that definitely failed."""
    return sum(spent_by_action(entries, currency, now).values(), Decimal(0))


def spent_by_action(entries: Iterable[Mapping[str, Any]], currency: str, now: datetime) -> dict[str, Decimal]:
    """``spent_today`` per action id (so a store's own records can take precedence)."""
    day = now.astimezone(timezone.utc).date().isoformat()
    counted: dict[str, Decimal] = {}
    for entry in entries:
        detail = entry.get("detail") or {}
        if entry["event"] == "approved" and entry["at"][:10] == day and detail.get("currency") == currency:
            counted[entry["action_id"]] = Decimal(detail["amount"])
        elif entry["event"] == "failed" and not detail.get("outcome_unknown"):
            counted.pop(entry["action_id"], None)
    return counted


_RULE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")


@dataclass(frozen=True)
class AutoApprove:
    """A named rule under which an action runs without a person: one operation, one currency, up to an amount.

    ``AutoApprove("small-refunds", "refunds.create", max_amount="20", currency="AUD")``. The action
    is recorded as approved by ``policy:auto:<name>`` and still counts against (and must fit) the day
    caps. ``payout_methods`` narrows a payout rule to those methods. Nothing a rule does not name matches.
    """

    name: str
    operation: str
    max_amount: Any
    currency: str
    payout_methods: Iterable[str] | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.name, str) or not _RULE_NAME.match(self.name):
            raise ValueError(f"auto-approval rule name {self.name!r}: letters, digits, '.', '_' or '-' (up to 64)")
        if self.operation not in CATALOG:
            raise ValueError(f"auto-approval rule {self.name}: unknown operation {self.operation!r}")
        if not getattr(CATALOG[self.operation].request_model, "money_fields", None):
            raise ValueError(f"auto-approval rule {self.name}: {self.operation} has no amount to limit")
        amount = to_decimal(self.max_amount, field=f"max_amount of rule {self.name}")
        if amount < 0:
            raise ValueError(f"auto-approval rule {self.name}: max_amount must not be negative")
        object.__setattr__(self, "max_amount", amount)
        object.__setattr__(self, "currency", str(self.currency).upper())
        object.__setattr__(self, "payout_methods", _names(self.payout_methods))

    @property
    def approver(self) -> str:
        return f"policy:auto:{self.name}"

    def matches(self, operation: str, arguments: Mapping[str, Any]) -> bool:
        """True only for this operation, in this currency, at most ``max_amount`` (and a named method)."""
        if operation != self.operation:
            return False
        money = money_of(operation, arguments)
        if money is None or money.currency != self.currency or money.amount > self.max_amount:
            return False
        currencies = {str(arguments[key]).upper() for key in ("currency", "sender_currency", "beneficiary_currency")
                      if arguments.get(key)}
        if currencies - {self.currency}:
            return False
        methods = self.payout_methods
        if methods is not None:
            assert isinstance(methods, frozenset)
            return payout_method_of(operation, arguments) in methods
        return True


def _caps(values: Mapping[str, Any]) -> dict[str, Decimal]:
    return {currency.upper(): to_decimal(amount, field=f"cap for {currency}") for currency, amount in values.items()}


def _names(values: Iterable[str] | None, *, upper: bool = False) -> frozenset[str] | None:
    if values is None:
        return None
    return frozenset(v.upper() if upper else v for v in values)


@dataclass(frozen=True)
class ConfirmationPolicy:
    """Caps per currency (per call and per UTC day), allowed currencies and payout methods, expiry.

    Every action with an amount counts: payouts, refunds, payins and payment requests. A currency
    without a cap is not capped; ``allowed_currencies=None`` allows any. Day totals count actions
    approved today that did not definitely fail. ``auto_approve`` rules (``AutoApprove``) let the
    actions they name run without a person, inside these limits.
    """

    per_call_caps: Mapping[str, Any] = field(default_factory=dict)
    per_day_caps: Mapping[str, Any] = field(default_factory=dict)
    allowed_currencies: Iterable[str] | None = None
    allowed_payout_methods: Iterable[str] | None = None
    expiry_seconds: float = 900.0
    auto_approve: Iterable[AutoApprove] = ()

    def __post_init__(self) -> None:
        rules = tuple(self.auto_approve)
        if not all(isinstance(rule, AutoApprove) for rule in rules):
            raise ValueError("auto_approve takes AutoApprove rules")
        names = [rule.name for rule in rules]
        if len(set(names)) != len(names):
            raise ValueError("auto-approval rule names must be unique")
        object.__setattr__(self, "auto_approve", rules)
        object.__setattr__(self, "per_call_caps", _caps(self.per_call_caps))
        object.__setattr__(self, "per_day_caps", _caps(self.per_day_caps))
        object.__setattr__(self, "allowed_currencies", _names(self.allowed_currencies, upper=True))
        object.__setattr__(self, "allowed_payout_methods", _names(self.allowed_payout_methods))
        if not self.expiry_seconds > 0:
            raise ValueError("expiry_seconds must be positive")
        for name, caps in (("per_call_caps", self.per_call_caps), ("per_day_caps", self.per_day_caps)):
            for currency, cap in caps.items():
                if cap < 0:
                    raise ValueError(f"{name}[{currency}] must not be negative")

    def auto_rule(self, operation: str, arguments: Mapping[str, Any]) -> AutoApprove | None:
        """The first rule under which this action runs without a person, or None."""
        return next((rule for rule in self.auto_approve if rule.matches(operation, arguments)), None)

    def violation(self, operation: str, arguments: Mapping[str, Any], *,
                  spent_today: Decimal = Decimal(0)) -> str | None:
        """Why the action is outside the policy, or None when it fits."""
        money = money_of(operation, arguments)
        currencies = {str(arguments[key]).upper() for key in ("currency", "sender_currency", "beneficiary_currency")
                      if arguments.get(key)}
        allowed = self.allowed_currencies
        if allowed is not None:
            assert isinstance(allowed, frozenset)
            for currency in sorted(currencies - allowed):
                return f"currency {currency} is not allowed by the policy (allowed: {', '.join(sorted(allowed))})"
        method = payout_method_of(operation, arguments)
        methods = self.allowed_payout_methods
        if method is not None and methods is not None and method not in methods:
            return (f"payout method {method} is not allowed by the policy "
                    f"(allowed: {', '.join(sorted(methods)) or 'none'})")
        if money is None:
            return None
        per_call = self.per_call_caps.get(money.currency)
        if per_call is not None and money.amount > per_call:
            return f"{money} is over the per-call cap of {money.currency} {per_call}"
        per_day = self.per_day_caps.get(money.currency)
        if per_day is not None and spent_today + money.amount > per_day:
            return (f"{money} would take today's total to {money.currency} {spent_today + money.amount}, "
                    f"over the per-day cap of {money.currency} {per_day}")
        return None


def policy_data(policy: ConfirmationPolicy) -> dict[str, Any]:
    """A JSON-ready form of ``policy`` (amounts as strings), so a shared store can carry it to every process."""
    def names(values: Any) -> list[str] | None:
        return None if values is None else sorted(values)

    return {
        "per_call_caps": {k: format(v, "f") for k, v in policy.per_call_caps.items()},
        "per_day_caps": {k: format(v, "f") for k, v in policy.per_day_caps.items()},
        "allowed_currencies": names(policy.allowed_currencies),
        "allowed_payout_methods": names(policy.allowed_payout_methods),
        "expiry_seconds": policy.expiry_seconds,
        "auto_approve": [{"name": r.name, "operation": r.operation, "max_amount": format(r.max_amount, "f"),
                          "currency": r.currency, "payout_methods": names(r.payout_methods)}
                         for r in policy.auto_approve],
    }


def policy_from_data(data: Mapping[str, Any]) -> ConfirmationPolicy:
    """The policy ``policy_data`` described."""
    rules = [AutoApprove(**rule) for rule in data.get("auto_approve", [])]
    return ConfirmationPolicy(**{**{k: v for k, v in data.items() if k != "auto_approve"}, "auto_approve": rules})
