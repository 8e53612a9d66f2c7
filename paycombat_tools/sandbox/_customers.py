"""Customers (with Finmo's wallet-ready rules) and their wallets."""

from __future__ import annotations

from typing import Any

from ..models.customers import REQUIRED_DETAILS
from ._errors import ApiError
from ._fixtures import CUSTOMER_WALLET_CURRENCIES
from ._registry import Context, Result, equal_to, handles, json_field, record_page, replay
from ._store import iso

#: Fields a customer needs before a wallet can be issued (Finmo's "wallet ready", PayCombat's names).
WALLET_READY_FIELDS = {
    "individual": ("first_name", "last_name", "dob", "nationality", "address_line1", "address_city",
                   "address_country", "identification_type", "identification_value"),
    "company": ("name", "registration_number", "incorporation_country", "address_line1", "address_city",
                "address_country"),
}


def missing_fields(customer: dict[str, Any]) -> list[str]:
    details = customer.get(customer["type"]) or {}
    return [f"{customer['type']}.{name}" for name in WALLET_READY_FIELDS[customer["type"]] if not details.get(name)]


def _refresh(customer: dict[str, Any]) -> dict[str, Any]:
    customer["is_wallet_ready"] = not missing_fields(customer)
    return customer


def live_customer(ctx: Context, customer_id: str) -> dict[str, Any]:
    customer = ctx.store.get("customer", customer_id, label="Customer")
    if customer.get("deleted_at"):
        raise ApiError(404, f"Customer {customer_id!r} not found")
    return customer


def ensure_wallet_usable(ctx: Context, wallet_id: str) -> None:
    """A customer wallet moves money only while its customer is active and not deleted."""
    wallet = ctx.store.get("wallet", wallet_id, label="Wallet")
    if wallet.get("customer_id"):
        customer = ctx.store.get("customer", wallet["customer_id"], label="Customer")
        if customer.get("deleted_at") or not customer.get("is_active"):
            raise ApiError(409, f"Wallet {wallet_id} belongs to customer {customer['customer_id']}, "
                                f"which is {'deleted' if customer.get('deleted_at') else 'disabled'}")


@handles("customers.create")
def create_customer(ctx: Context, path: dict[str, str], body: Any) -> Result:
    if earlier := replay(ctx, "customer", "Customer", body):
        return earlier
    now = iso(ctx.now())
    wire = body.to_wire()
    reference = body.organization_reference_id
    customer = {
        "customer_id": f"customer_{ctx.store.hex32()}", "org_id": ctx.store.meta("org_id"), "type": body.type,
        "description": body.description, "webhook_url": None, "metadata": body.metadata or {},
        "is_active": True, "is_wallet_ready": False,
        "organization_reference_id": None if reference is None else str(reference),
        "is_gca_enabled": False, "gca_activation_status": "NOT_STARTED", "gca_activated_at": None,
        "is_sender_validation_enabled": False, "payin_sender_id_list": [], "company_domain": None,
        "individual": wire.get("individual"), "company": wire.get("company"),
        "created_by": "api_access_key:sandbox", "created_at": now, "updated_at": now, "deleted_at": None,
    }
    ctx.store.insert("customer", _refresh(customer), id_field="customer_id", ref=reference)
    return "Created", customer


@handles("customers.update")
def update_customer(ctx: Context, path: dict[str, str], body: Any) -> Result:
    """Update Customer: fields left out stay; an empty string clears a field (the docs' rule)."""
    customer = live_customer(ctx, body.customer_id)
    changes = body.to_wire()
    changes.pop("customer_id")
    kind = changes.get("type", customer["type"])
    problems = [{"field": field, "message": "is required and cannot be cleared"}
                for field in _cleared_required(changes, kind)]
    if problems:
        raise ApiError(422, "invalid request: " + "; ".join(f"{p['field']}: {p['message']}" for p in problems),
                       errors=problems)
    for name, value in changes.items():
        if name in ("individual", "company"):
            merged = {**(customer.get(name) or {}), **value}
            customer[name] = {key: item for key, item in merged.items() if item != ""}
        else:
            customer[name] = None if value == "" else value
    customer["updated_at"] = iso(ctx.now())
    ctx.store.update("customer", customer["customer_id"], _refresh(customer))
    return "Updated", customer


def _cleared_required(changes: dict[str, Any], kind: str) -> list[str]:
    """Fields the docs mark required (``description``, each block's names) that an update tries to clear."""
    cleared = ["description"] if changes.get("description") == "" else []
    for block in ("individual", "company"):
        values = changes.get(block) or {}
        required = REQUIRED_DETAILS[block] if block == kind else ()
        cleared += [f"{block}.{name}" for name in required if values.get(name) == ""]
    return cleared


@handles("customers.list")
def list_customers(ctx: Context, path: dict[str, str], params: Any) -> Result:
    filters = equal_to(params, {"type": json_field("type")})
    if not params.include_deleted:  # deleted_at is null until Delete Customer sets it
        filters.append((f"COALESCE({json_field('deleted_at')}, '') = ''", None))
    return "OK", record_page(ctx, "customer", params, filters)


@handles("customers.retrieve")
def retrieve_customer(ctx: Context, path: dict[str, str], body: Any) -> Result:
    return "OK", live_customer(ctx, path["customer_id"])


@handles("customers.is_wallet_ready")
def is_wallet_ready(ctx: Context, path: dict[str, str], body: Any) -> Result:
    customer = live_customer(ctx, path["customer_id"])
    missing = missing_fields(customer)
    return "OK", {"customer_id": customer["customer_id"], "is_wallet_ready": not missing, "missing_field": missing}


def _set_active(ctx: Context, customer_id: str, active: bool) -> Result:
    customer = live_customer(ctx, customer_id)
    customer.update(is_active=active, updated_at=iso(ctx.now()))
    ctx.store.update("customer", customer["customer_id"], customer)
    return ("Customer enabled" if active else "Customer disabled"), customer


@handles("customers.enable")
def enable_customer(ctx: Context, path: dict[str, str], body: Any) -> Result:
    return _set_active(ctx, path["customer_id"], True)


@handles("customers.disable")
def disable_customer(ctx: Context, path: dict[str, str], body: Any) -> Result:
    return _set_active(ctx, path["customer_id"], False)


@handles("customers.delete")
def delete_customer(ctx: Context, path: dict[str, str], body: Any) -> Result:
    customer = live_customer(ctx, path["customer_id"])
    now = iso(ctx.now())
    customer.update(is_active=False, deleted_at=now, updated_at=now)
    ctx.store.update("customer", customer["customer_id"], customer)
    return "Customer deleted", customer


# -- wallets -----------------------------------------------------------------------------------------


@handles("wallets.create")
def create_wallet(ctx: Context, path: dict[str, str], body: Any) -> Result:
    customer = live_customer(ctx, body.customer_id)
    if not customer["is_active"]:
        raise ApiError(400, f"Customer {customer['customer_id']} is disabled")
    missing = missing_fields(customer)
    if missing:
        raise ApiError(400, f"Customer is not wallet ready; missing fields: {', '.join(missing)}",
                       errors=[{"field": name, "message": "required for a wallet"} for name in missing])
    currencies = list(dict.fromkeys([c.upper() for c in [body.currency, *body.currency_list]]))
    unsupported = [c for c in currencies if c not in CUSTOMER_WALLET_CURRENCIES]
    if unsupported:
        raise ApiError(400, f"currency_list: {', '.join(unsupported)} not supported for customer wallets "
                            f"(supported: {', '.join(CUSTOMER_WALLET_CURRENCIES)})")
    wallet = ctx.ledger.open_wallet(category="CUSTOMER", currencies=currencies, customer_id=customer["customer_id"],
                                    description=body.description, webhook_url=body.webhook_url)
    return "Created", ctx.ledger.wallet(wallet["wallet_id"])


@handles("wallets.list")
def list_wallets(ctx: Context, path: dict[str, str], params: Any) -> Result:
    filters = equal_to(params, {"category": json_field("category"), "customer_id": json_field("customer_id")})
    listed = record_page(ctx, "wallet", params, filters)
    listed["data"] = [ctx.ledger.wallet(wallet["wallet_id"]) for wallet in listed["data"]]
    return "OK", listed


@handles("wallets.retrieve")
def retrieve_wallet(ctx: Context, path: dict[str, str], body: Any) -> Result:
    return "OK", ctx.ledger.wallet(path["wallet_id"])
