"""The method and path of every operation PayCombat's docs show (EVIDENCE §2), pinned by hand.

One row per CONFIRMED or CONTRADICTED verdict: the catalog says what the docs say, and the client
puts exactly that request line on the wire (checked on the loopback recording server).
"""

from __future__ import annotations

from typing import Any

import pytest

from paycombat_tools import CATALOG, InvalidRequestError, PayCombat, canonical_json, sign

from . import documented as doc
from .fixtures import SIGNATURE_KEY, client, recording_server  # noqa: F401
from .recording_server import RecordingServer, Reply

DOCUMENTED = doc.DOCUMENTED_ROUTES
IDS = [row[0] for row in DOCUMENTED]


def test_the_table_holds_every_confirmed_and_contradicted_row_of_the_evidence() -> None:
    assert len(DOCUMENTED) == len(set(IDS)) == 15  # EVIDENCE §2: CONFIRMED 8, CONTRADICTED 7


@pytest.mark.parametrize(("name", "method", "path", "confidence"), [row[:4] for row in DOCUMENTED], ids=IDS)
def test_documented_operation_is_pinned_in_the_catalog(name: str, method: str, path: str, confidence: str) -> None:
    operation = CATALOG[name]
    assert (operation.method, operation.path, operation.confidence) == (method, path, confidence)
    assert operation.source  # the evidence it rests on is named


@pytest.mark.parametrize(("name", "method", "args", "fields", "wire_path"),
                         [(row[0], row[1], row[4], row[5], row[6]) for row in DOCUMENTED], ids=IDS)
def test_documented_operation_goes_out_on_its_documented_request_line(
    name: str, method: str, args: tuple[str, ...], fields: dict[str, Any], wire_path: str,
    client: PayCombat, recording_server: RecordingServer,
) -> None:
    recording_server.queue(Reply.envelope(None))

    client.operation(name)(*args, **fields)

    [seen] = recording_server.requests
    assert (seen.method, seen.target) == (method, wire_path)


def test_customers_update_takes_the_id_first_and_sends_it_in_the_body(
    client: PayCombat, recording_server: RecordingServer
) -> None:
    recording_server.queue(Reply.envelope({"customer_id": "customer_67d8", "description": "VIP"}))

    updated = client.customers.update("customer_67d8", description="VIP")

    [seen] = recording_server.requests
    assert (seen.method, seen.target) == ("PATCH", "/api/v1/customer/update")  # no id in the path
    assert list(seen.json()) == ["customer_id", "description"]  # the docs' body starts with customer_id
    assert seen.json() == {"customer_id": "customer_67d8", "description": "VIP"}
    assert seen.headers["signature"] == sign(seen.body, SIGNATURE_KEY)
    assert updated.customer_id == "customer_67d8"


def test_customers_update_takes_the_id_by_name_too(client: PayCombat, recording_server: RecordingServer) -> None:
    recording_server.queue(Reply.envelope({"customer_id": "customer_67d8"}))

    client.customers.update(customer_id="customer_67d8", description="VIP")

    assert recording_server.last.json() == {"customer_id": "customer_67d8", "description": "VIP"}


def test_customers_update_without_an_id_is_refused_before_sending(
    client: PayCombat, recording_server: RecordingServer
) -> None:
    with pytest.raises(InvalidRequestError, match="customer_id"):
        client.customers.update(description="VIP")
    with pytest.raises(InvalidRequestError, match="customer_id"):
        client.customers.update("", description="VIP")
    assert recording_server.requests == []


def test_customers_update_with_the_id_given_twice_is_refused(
    client: PayCombat, recording_server: RecordingServer
) -> None:
    recording_server.queue(Reply.envelope({"customer_id": "customer_a"}))
    with pytest.raises(InvalidRequestError, match="customer_id"):
        client.customers.update("customer_a", customer_id="customer_b", description="VIP")
    assert recording_server.requests == []


def test_an_empty_string_goes_out_to_clear_a_field(client: PayCombat, recording_server: RecordingServer) -> None:
    """S3: "To clear a field, set it to an empty string." A field left out is kept (not sent)."""
    recording_server.queue(Reply.envelope({"customer_id": "customer_67d8"}))

    client.customers.update("customer_67d8", description="", individual={"address_line2": ""})

    assert recording_server.last.body == canonical_json(
        {"customer_id": "customer_67d8", "description": "", "individual": {"address_line2": ""}})
