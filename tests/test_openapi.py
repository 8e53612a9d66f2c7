"""The OpenAPI document: generated from the catalog, valid OpenAPI 3.1, and never stale on disk."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from paycombat_tools import __version__
from paycombat_tools.catalog import OPERATIONS, Operation
from paycombat_tools.openapi import build, render, write

COMMITTED = Path(__file__).resolve().parents[1] / "openapi.json"
SCHEMA_PREFIX = "#/components/schemas/"


@pytest.fixture(scope="module")
def doc() -> dict[str, Any]:
    return build()


def _op(doc: dict[str, Any], operation: Operation) -> dict[str, Any]:
    item: dict[str, Any] = doc["paths"][operation.path][operation.method.lower()]
    return item


def _schema(doc: dict[str, Any], ref: dict[str, Any]) -> dict[str, Any]:
    schema: dict[str, Any] = doc["components"]["schemas"][ref["$ref"].removeprefix(SCHEMA_PREFIX)]
    return schema


def _data(doc: dict[str, Any], operation: Operation) -> dict[str, Any]:
    envelope = _op(doc, operation)["responses"]["200"]["content"]["application/json"]["schema"]
    data: dict[str, Any] = envelope["properties"]["data"]
    return data


def test_every_catalog_operation_appears_under_its_path_and_method(doc: dict[str, Any]) -> None:
    for operation in OPERATIONS:
        entry = _op(doc, operation)
        assert entry["operationId"] == operation.name.replace(".", "_")
        assert entry["x-paycombat-operation"] == operation.name
        assert entry["x-paycombat-confidence"] == operation.confidence
        assert entry["x-paycombat-risk"] == operation.risk
        assert entry["tags"] == [operation.resource]
        assert entry.get("x-paycombat-idempotency-field") == operation.idempotency_field
        assert entry.get("x-paycombat-sandbox-only", False) is operation.sandbox_only
        declared = {p["name"] for p in entry.get("parameters", []) if p["in"] == "path"}
        assert declared == set(operation.path_params), operation.name
    counted = sum(len(item) for item in doc["paths"].values())
    assert counted == len(OPERATIONS)


def test_operations_sharing_a_path_share_one_path_item(doc: dict[str, Any]) -> None:
    assert set(doc["paths"]["/api/v1/checkout"]) == {"get", "patch"}
    assert set(doc["paths"]["/api/v1/payout-beneficiary"]) == {"get", "post"}


def test_committed_openapi_json_is_current() -> None:
    assert COMMITTED.exists(), "openapi.json is missing; run: python -m paycombat_tools.openapi"
    assert COMMITTED.read_text(encoding="utf-8") == render(), (
        "openapi.json is stale (the catalog or a model changed); regenerate it with: "
        "python -m paycombat_tools.openapi"
    )


def test_write_produces_the_same_text(tmp_path: Path) -> None:
    target = write(tmp_path / "spec.json")
    assert json.loads(target.read_text(encoding="utf-8")) == build()


def test_document_is_valid_openapi_3_1(doc: dict[str, Any]) -> None:
    from openapi_spec_validator import validate  # dev dependency

    assert doc["openapi"] == "3.1.0"
    assert doc["info"]["version"] == __version__
    validate(json.loads(render(doc)))  # as a JSON round trip, exactly like the file


def test_amounts_are_json_numbers(doc: dict[str, Any]) -> None:
    schemas = doc["components"]["schemas"]
    assert schemas["PayinCreate"]["properties"]["amount"]["type"] == "number"
    assert schemas["PayoutCreate"]["properties"]["sender_amount"]["type"] == "number"
    assert schemas["OrderItem"]["properties"]["unit_price"]["type"] == "number"
    assert {"type": "number"} in schemas["Payin"]["properties"]["amount"]["anyOf"]
    # no Decimal leaked through as pydantic's default number-or-string rendering
    assert '"pattern"' not in render(doc)


def test_writes_need_the_signature_and_reads_do_not(doc: dict[str, Any]) -> None:
    for operation in OPERATIONS:
        security = _op(doc, operation)["security"]
        if operation.method in ("POST", "PATCH"):
            assert security == [{"XToken": [], "Signature": []}], operation.name
        else:
            assert security == [{"XToken": []}], operation.name
    schemes = doc["components"]["securitySchemes"]
    assert schemes["Signature"] == {**schemes["Signature"], "type": "apiKey", "in": "header", "name": "signature"}
    assert schemes["XToken"]["name"] == "X-token"


def test_request_bodies_refuse_unknown_fields(doc: dict[str, Any]) -> None:
    for operation in OPERATIONS:
        if not operation.has_body:
            continue
        body = _op(doc, operation)["requestBody"]
        assert body["required"] is True
        schema = body["content"]["application/json"]["schema"]
        resolved = _schema(doc, schema) if "$ref" in schema else schema
        assert resolved["additionalProperties"] is False, operation.name


def test_list_query_parameters_come_from_the_request_model(doc: dict[str, Any]) -> None:
    from paycombat_tools.catalog import operation

    params = {p["name"]: p for p in _op(doc, operation("customers.list"))["parameters"]}
    assert {"page", "limit", "type", "include_deleted"} <= set(params)
    assert params["page"] == {**params["page"], "in": "query", "required": False}
    assert params["type"]["schema"]["enum"] == ["individual", "company"]


def test_response_shapes_follow_returns_and_paginated(doc: dict[str, Any]) -> None:
    for operation in OPERATIONS:
        responses = _op(doc, operation)["responses"]
        for status in ("400", "401", "404", "409", "422", "429", "500"):
            assert responses[status] == {"$ref": "#/components/responses/Error"}
        if operation.returns == "pdf":
            assert "application/pdf" in responses["200"]["content"]
            continue
        data = _data(doc, operation)
        if operation.paginated:
            assert data["properties"]["data"]["type"] == "array"
            assert {"current_page", "per_page", "total", "last_page"} <= set(data["properties"])
        elif operation.returns == "list":
            assert data["type"] == "array"
        else:
            assert data["$ref"].startswith(SCHEMA_PREFIX)
    envelope = doc["components"]["schemas"]["Envelope"]
    assert envelope["properties"]["status"]["const"] is False
    assert envelope["properties"]["data"] == {"type": "null"}


def test_every_schema_reference_resolves(doc: dict[str, Any]) -> None:
    text = render(doc)
    names = set(doc["components"]["schemas"])
    for chunk in text.split(f'"{SCHEMA_PREFIX}')[1:]:
        assert chunk.split('"', 1)[0] in names
