"""What the guard reads from PayCombat around an execution: a saved payee, and the actual state after an error.

A payout to a saved beneficiary pays whoever the beneficiary is *when it runs*: the guard seals the
beneficiary as read at proposal (``payee_of``) and reads it again just before the payout.

A retried cancel, disable or delete whose first attempt committed answers 409 or 404, and a dropped
connection answers nothing: neither says the call failed. ``Effect`` reads the record before the call
and again after such an error, so the guard records what actually happened.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from paycombat_tools.errors import ConflictError, NetworkError, NotFoundError, PayCombatError, ServerError

if TYPE_CHECKING:
    from paycombat_tools import PayCombat

__all__ = ["EFFECTS", "Effect", "doubtful", "payee_of", "read_payee"]

#: Fields of a beneficiary record that say nothing about who is paid.
_VOLATILE = frozenset({"created_at", "updated_at"})


def payee_of(beneficiary: Any) -> dict[str, Any]:
    """Everything a saved beneficiary record says about the payee (name, account, bank, method, holder…)."""
    data = beneficiary.model_dump(mode="json") if hasattr(beneficiary, "model_dump") else dict(beneficiary)
    return {key: value for key, value in sorted(data.items()) if key not in _VOLATILE and value is not None}


def read_payee(client: "PayCombat", beneficiary_id: str) -> dict[str, Any]:
    """The saved beneficiary as PayCombat holds it now."""
    return payee_of(client.operation("beneficiaries.retrieve")(beneficiary_id))


def doubtful(error: BaseException) -> bool:
    """Whether an error leaves open that the call took effect (no answer, a 5xx, or a retry's 409/404)."""
    return isinstance(error, (NetworkError, ServerError, ConflictError, NotFoundError)) or not isinstance(
        error, PayCombatError)


GONE = "gone"  # the record no longer shows in look-ups


@dataclass(frozen=True)
class Effect:
    """How to read an operation's target, and whether a state read shows the operation done (None: can't tell)."""

    read: Callable[["PayCombat", Mapping[str, Any]], Any]
    done: Callable[[Any], bool | None]

    def state(self, client: "PayCombat", arguments: Mapping[str, Any]) -> Any:
        """The target's state now: the record, ``GONE`` (404), or None if it could not be read."""
        try:
            return self.read(client, arguments)
        except NotFoundError:
            return GONE
        except PayCombatError:
            return None

    def took_effect(self, before: Any, after: Any) -> bool | None:
        """True: done now and not before; False: not done (or done before this call); None: unknown."""
        if after is None:
            return None
        done_after = self.done(after)
        if done_after is None:
            return None
        done_before = self.done(before) if before is not None else None
        return bool(done_after) and done_before is False


def _checkout(client: "PayCombat", arguments: Mapping[str, Any]) -> Any:
    return client.operation("checkouts.retrieve")(arguments["checkout_token"])


def _customer(client: "PayCombat", arguments: Mapping[str, Any]) -> Any:
    return client.operation("customers.retrieve")(arguments["customer_id"])


def _cancelled(state: Any) -> bool | None:
    """A cancelled checkout shows only in the sandbox's ``status`` (PayCombat's checkout has none: unknown)."""
    if state == GONE:
        return None
    status = getattr(state, "status", None)
    return None if status is None else status == "CANCELLED"


def _deleted(state: Any) -> bool | None:
    return True if state == GONE else getattr(state, "deleted_at", None) is not None


def _disabled(state: Any) -> bool | None:
    if state == GONE:
        return None
    active = getattr(state, "is_active", None)
    return None if active is None else active is False


EFFECTS: dict[str, Effect] = {
    "checkouts.cancel": Effect(_checkout, _cancelled),
    "customers.delete": Effect(_customer, _deleted),
    "customers.disable": Effect(_customer, _disabled),
}
