"""Customers as PayCombat documents them (EVIDENCE S2 to S5): create, retrieve, update, disable, enable."""

from __future__ import annotations

import copy
from typing import Any

from paycombat_tools.catalog import CATALOG
from paycombat_tools.models.customers import Customer
from tests.contract.conftest import Target, envelope_problem

#: The Create Customer body from the docs' required fields (EVIDENCE S2).
GRACE: dict[str, Any] = {"type": "individual", "description": "Grace Ho",
                         "individual": {"first_name": "Grace", "last_name": "Ho", "address_country": "AU"}}


def _individual(customer: Customer) -> dict[str, Any]:
    details = customer.individual or {}
    return {name: details.get(name) for name in GRACE["individual"]}


def test_customer_lifecycle(target: Target) -> None:
    client, wire = target.client, target.wire

    created = client.customers.create(**copy.deepcopy(GRACE))
    sent = wire.last()
    assert (sent.method, sent.path.endswith("/api/v1/customer/create")) == ("POST", True)
    body = sent.sent_json
    assert {key: body[key] for key in GRACE} == GRACE and "signature" in sent.header_names()
    assert isinstance(created, Customer) and created.customer_id.startswith("customer_")
    assert (created.type, created.description, created.is_active) == ("individual", "Grace Ho", True)
    assert _individual(created) == GRACE["individual"]
    customer_id = created.customer_id

    fetched = client.customers.retrieve(customer_id)
    assert wire.last().path.endswith(f"/api/v1/customer/customer/{customer_id}")
    assert envelope_problem(wire.last(), CATALOG["customers.retrieve"]) is None
    assert (fetched.customer_id, fetched.description, fetched.is_active) == (customer_id, "Grace Ho", True)
    assert _individual(fetched) == GRACE["individual"]

    updated = client.customers.update(customer_id, description="Grace Ho (contract test)")
    sent = wire.last()
    assert (sent.method, sent.path.endswith("/api/v1/customer/update")) == ("PATCH", True)
    assert sent.sent_json == {"customer_id": customer_id, "description": "Grace Ho (contract test)"}
    assert (updated.customer_id, updated.description) == (customer_id, "Grace Ho (contract test)")
    again = client.customers.retrieve(customer_id)
    assert again.description == "Grace Ho (contract test)"
    assert _individual(again) == GRACE["individual"], "updating the description changed the individual block"

    disabled = client.customers.disable(customer_id)
    sent = wire.last()
    assert (sent.method, sent.path.endswith(f"/api/v1/customer/disable/{customer_id}")) == ("PATCH", True)
    assert sent.request.body is None and "signature" not in sent.header_names()  # the docs' curl: X-token only
    # documented (EVIDENCE S5): Finmo's envelope nested in data, which the client unwraps to the record
    assert CATALOG["customers.disable"].envelope == "nested"
    assert envelope_problem(sent, CATALOG["customers.disable"]) is None
    assert isinstance(disabled, Customer)
    assert (disabled.customer_id, disabled.is_active) == (customer_id, False)
    assert client.customers.retrieve(customer_id).is_active is False

    enabled = client.customers.enable(customer_id)
    sent = wire.last()
    assert (sent.method, sent.path.endswith(f"/api/v1/customer/enable/{customer_id}")) == ("PATCH", True)
    assert sent.request.body is None and "signature" not in sent.header_names()
    assert envelope_problem(sent, CATALOG["customers.enable"]) is None
    assert isinstance(enabled, Customer)
    assert (enabled.customer_id, enabled.is_active) == (customer_id, True)
    assert client.customers.retrieve(customer_id).is_active is True
