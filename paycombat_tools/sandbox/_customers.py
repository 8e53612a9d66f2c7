"""Customers (with Finmo's wallet-ready rules) and their wallets."""

from __future__ import annotations

from typing import Any

from ._errors import ApiError
from ._fixtures import CUSTOMER_WALLET_CURRENCIES
from ._registry import Context, Result, handles, matches, paginate, replay
from ._store import iso

#: Fields a customer needs before a wallet can be issued (Finmo "wallet ready").
WALLET_READY_FIELDS = {
    "individual": ("first_name", "last_name", "dob", "nationality", "address_line1", "address_city",
                   "address_country", "identification_type", "identification_value"),
    "company": ("name", "registration_number", "nature_of_business", "address_country"),
}


def missing_fields(customer: dict[str, Any]) -> list[str]:
    details = customer.get(customer["type"]) or {}
    return [f"{customer['type']}.{name}" for name in WALLET_READY_FIELDS[customer["type"]] if not details.get(name)]


def _refresh(customer: dict[str, Any]) -> dict[str, Any]:
    missing = missing_fields(customer)
    customer["is_wallet_ready"] = not missing
    if customer["status"] in ("PENDING_INFO", "UNDER_REVIEW"):
        customer["status"] = "UNDER_REVIEW" if not missing else "PENDING_INFO"
    return customer


def live_customer(ctx: Context, customer_id: str) -> dict[str, Any]:
    customer = ctx.store.get("customer", customer_id, label="Customer")
    if customer.get("deleted_at"):
        raise ApiError(404, f"Customer {customer_id!r} not found")
    return customer


def ensure_wallet_usable(ctx: Context, wallet_id: str) -> None:
    """A customer wallet moves money only while its customer is enabled and not deleted."""
    wallet = ctx.store.get("wallet", wallet_id, label="Wallet")
    if wallet.get("customer_id"):
        customer = ctx.store.get("customer", wallet["customer_id"], label="Customer")
        if customer.get("deleted_at") or not customer.get("is_enabled"):
            raise ApiError(409, f"Wallet {wallet_id} belongs to customer {customer['customer_id']}, "
                                f"which is {'deleted' if customer.get('deleted_at') else 'disabled'}")


@handles("customers.create")
def create_customer(ctx: Context, path: dict[str, str], body: Any) -> Result:
    if earlier := replay(ctx, "customer", "Customer", body):
        return earlier
    now = iso(ctx.now())
    wire = body.to_wire()
    customer = {
        "customer_id": f"customer_{ctx.store.hex32()}", "type": body.type, "status": "PENDING_INFO",
        "description": body.description, "account_usage_purpose": body.account_usage_purpose,
        "organization_reference_id": body.organization_reference_id, "org_id": ctx.store.meta("org_id"),
        "is_active": True, "is_enabled": True, "is_wallet_ready": False,
        "individual": wire.get("individual"), "company": wire.get("company"),
        "metadata": body.metadata or {}, "webhook_url": body.webhook_url,
        "created_at": now, "updated_at": now, "deleted_at": None,
    }
    ctx.store.insert("customer", _refresh(customer), id_field="customer_id", ref=body.organization_reference_id)
    return "Created", customer


@handles("customers.update")
def update_customer(ctx: Context, path: dict[str, str], body: Any) -> Result:
    customer = live_customer(ctx, path["customer_id"])
    for name, value in body.to_wire().items():
        if name in ("individual", "company"):
            customer[name] = {**(customer.get(name) or {}), **value}
        else:
            customer[name] = value
    customer["updated_at"] = iso(ctx.now())
    ctx.store.update("customer", customer["customer_id"], _refresh(customer))
    return "Updated", customer


@handles("customers.list")
def list_customers(ctx: Context, path: dict[str, str], params: Any) -> Result:
    rows = [c for c in ctx.store.all("customer")
            if matches(c, params, ("type",)) and (params.include_deleted or not c.get("deleted_at"))]
    return "OK", paginate(rows, params)


@handles("customers.retrieve")
def retrieve_customer(ctx: Context, path: dict[str, str], body: Any) -> Result:
    return "OK", live_customer(ctx, path["customer_id"])


@handles("customers.is_wallet_ready")
def is_wallet_ready(ctx: Context, path: dict[str, str], body: Any) -> Result:
    customer = live_customer(ctx, path["customer_id"])
    missing = missing_fields(customer)
    return "OK", {"customer_id": customer["customer_id"], "is_wallet_ready": not missing, "missing_fields": missing}


def _set_enabled(ctx: Context, customer_id: str, enabled: bool) -> Result:
    customer = live_customer(ctx, customer_id)
    customer.update(is_enabled=enabled, updated_at=iso(ctx.now()))
    ctx.store.update("customer", customer["customer_id"], customer)
    return ("Customer enabled" if enabled else "Customer disabled"), customer


@handles("customers.enable")
def enable_customer(ctx: Context, path: dict[str, str], body: Any) -> Result:
    return _set_enabled(ctx, path["customer_id"], True)


@handles("customers.disable")
def disable_customer(ctx: Context, path: dict[str, str], body: Any) -> Result:
    return _set_enabled(ctx, path["customer_id"], False)


@handles("customers.delete")
def delete_customer(ctx: Context, path: dict[str, str], body: Any) -> Result:
    customer = live_customer(ctx, path["customer_id"])
    now = iso(ctx.now())
    customer.update(is_active=False, is_enabled=False, deleted_at=now, updated_at=now)
    ctx.store.update("customer", customer["customer_id"], customer)
    return "Customer deleted", customer


# -- wallets -----------------------------------------------------------------------------------------


@handles("wallets.create")
def create_wallet(ctx: Context, path: dict[str, str], body: Any) -> Result:
    customer = live_customer(ctx, body.customer_id)
    if not customer["is_enabled"]:
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
    wallets = [ctx.ledger.wallet(w["wallet_id"]) for w in ctx.store.all("wallet")
               if matches(w, params, ("category", "customer_id"))]
    return "OK", paginate(wallets, params)


@handles("wallets.retrieve")
def retrieve_wallet(ctx: Context, path: dict[str, str], body: Any) -> Result:
    return "OK", ctx.ledger.wallet(path["wallet_id"])
