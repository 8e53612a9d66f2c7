"""The OpenAPI document: generated from the catalog, valid OpenAPI 3.1, and never stale on disk."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from paycombat_tools import __version__
from paycombat_tools.catalog import OPERATIONS, Operation, operation
from paycombat_tools.openapi import (
    DECIMAL_PATTERN,
    ERRORS,
    RECORD_EXAMPLES,
    REQUEST_EXAMPLES,
    RESPONSE_OVERRIDES,
    build,
    render,
    write,
)
from paycombat_tools._openapi_control import REQUEST_EXAMPLES as CONTROL_EXAMPLES
from paycombat_tools.sandbox_control import PREFIX, ROUTES, TAG
from paycombat_tools.signing import reserialise

COMMITTED = Path(__file__).resolve().parents[1] / "openapi.json"
SCHEMA_PREFIX = "#/components/schemas/"
ERROR_STATUSES = ("400", "401", "404", "405", "406", "409", "422", "429", "500", "503")
DOC_URI = "urn:paycombat:openapi"


@pytest.fixture(scope="module")
def doc() -> dict[str, Any]:
    return json.loads(render(build()))  # as a JSON round trip, exactly like the file


@pytest.fixture(scope="module")
def registry(doc: dict[str, Any]) -> Registry:
    return Registry().with_resource(DOC_URI, Resource.from_contents(doc, default_specification=DRAFT202012))


def _pointer(*parts: str) -> str:
    return "".join("/" + part.replace("~", "~0").replace("/", "~1") for part in parts)


def _validator(registry: Registry, pointer: str) -> Draft202012Validator:
    """A JSON Schema 2020-12 validator for the schema at ``pointer`` inside the document, refs resolved."""
    return Draft202012Validator({"$ref": f"{DOC_URI}#{quote(pointer, safe='/~')}"}, registry=registry,
                                format_checker=FormatChecker())


def _assert_valid(registry: Registry, pointer: str, instance: Any, what: str) -> None:
    errors = sorted(_validator(registry, pointer).iter_errors(instance), key=lambda e: list(e.absolute_path))
    assert not errors, f"{what}: " + "; ".join(f"{list(e.absolute_path)}: {e.message}" for e in errors)


def _op(doc: dict[str, Any], op: Operation) -> dict[str, Any]:
    item: dict[str, Any] = doc["paths"][op.path][op.method.lower()]
    return item


def _resolve(doc: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = doc["components"]["schemas"][schema["$ref"].removeprefix(SCHEMA_PREFIX)]
    return schema


def _data(doc: dict[str, Any], op: Operation) -> dict[str, Any]:
    envelope = _op(doc, op)["responses"]["200"]["content"]["application/json"]["schema"]
    data: dict[str, Any] = envelope["properties"]["data"]
    return data


def _walk(node: Any) -> Any:
    yield node
    if isinstance(node, dict):
        for value in node.values():
            yield from _walk(value)
    elif isinstance(node, list):
        for value in node:
            yield from _walk(value)


# -- structure ---------------------------------------------------------------------------------------

def test_every_catalog_operation_appears_under_its_path_and_method(doc: dict[str, Any]) -> None:
    for op in OPERATIONS:
        entry = _op(doc, op)
        assert entry["operationId"] == op.name.replace(".", "_")
        assert entry["x-paycombat-operation"] == op.name
        assert entry["x-paycombat-confidence"] == op.confidence
        assert entry["x-paycombat-source"] == op.source
        assert entry["x-paycombat-signature"] == op.signature
        assert entry["x-paycombat-risk"] == op.risk
        assert entry.get("x-paycombat-envelope", "flat") == op.envelope
        assert ("x-paycombat-envelope" in entry) is (op.envelope == "nested"), op.name
        assert entry["tags"] == [op.resource]
        assert entry.get("x-paycombat-idempotency-field") == op.idempotency_field
        assert entry.get("x-sandbox-only", False) is op.sandbox_only, op.name
        assert "x-paycombat-sandbox-only" not in entry  # one spelling, as on sandbox-only fields
        assert op.confidence in entry["description"] and op.source in entry["description"]
        declared = {p["name"] for p in entry.get("parameters", []) if p["in"] == "path"}
        assert declared == set(op.path_params), op.name
    counted = sum(1 for item in doc["paths"].values() for entry in item.values() if entry["tags"] != [TAG])
    assert counted == len(OPERATIONS)


def test_sandbox_only_is_spelled_the_same_on_operations_and_fields(doc: dict[str, Any]) -> None:
    assert any(op.sandbox_only for op in OPERATIONS)
    fields = doc["components"]["schemas"]["Customer"]["properties"]
    assert fields["deleted_at"]["x-sandbox-only"] is True
    assert "x-sandbox-only" not in fields["customer_id"]
    assert '"x-paycombat-sandbox-only"' not in render(doc)


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
    assert json.loads(target.read_text(encoding="utf-8")) == json.loads(render())


def test_document_is_valid_openapi_3_1(doc: dict[str, Any]) -> None:
    from openapi_spec_validator import validate  # dev dependency

    assert doc["openapi"] == "3.1.0"
    assert doc["info"]["version"] == __version__
    validate(doc)


def test_every_schema_reference_resolves(doc: dict[str, Any]) -> None:
    text = render(doc)
    names = set(doc["components"]["schemas"])
    for chunk in text.split(f'"{SCHEMA_PREFIX}')[1:]:
        assert chunk.split('"', 1)[0] in names
    responses = set(doc["components"]["responses"])
    for chunk in text.split('"#/components/responses/')[1:]:
        assert chunk.split('"', 1)[0] in responses


# -- security ----------------------------------------------------------------------------------------

SIGNED, TOKEN = {"XToken": [], "Signature": []}, {"XToken": []}


def test_security_follows_the_documented_signing_rule(doc: dict[str, Any]) -> None:
    expected_by_rule = {"required": [SIGNED], "optional": [SIGNED, TOKEN], "none": [TOKEN]}
    for op in OPERATIONS:
        expected = list(expected_by_rule[op.signature or "none"])
        if op.token == "optional":
            expected.append({"Signature": []} if op.signature == "required" else {})
        assert _op(doc, op)["security"] == expected, op.name
    schemes = doc["components"]["securitySchemes"]
    assert schemes["Signature"] == {**schemes["Signature"], "type": "apiKey", "in": "header", "name": "signature"}
    assert schemes["XToken"]["name"] == "X-token"


def test_security_examples_from_the_catalog(doc: dict[str, Any]) -> None:
    assert _op(doc, operation("payouts.create"))["security"] == [SIGNED]
    assert _op(doc, operation("merchant.balance"))["security"] == [TOKEN]
    assert _op(doc, operation("customers.disable"))["security"] == [TOKEN]  # bodiless PATCH: X-token only
    assert _op(doc, operation("checkouts.create_new_checkout"))["security"] == [SIGNED, TOKEN]
    # signature optional and X-token optional
    assert _op(doc, operation("checkouts.create_virtual_account_krw"))["security"] == [SIGNED, TOKEN, {}]


# -- bodies and parameters -----------------------------------------------------------------------------

def test_request_bodies_follow_has_body_and_refuse_unknown_fields(doc: dict[str, Any]) -> None:
    bodiless_writes = [op for op in OPERATIONS if op.method in ("PATCH", "DELETE") and not op.has_body]
    assert bodiless_writes, "the catalog has bodiless PATCH/DELETE calls (customers.disable, customers.delete)"
    for op in OPERATIONS:
        entry = _op(doc, op)
        if not op.has_body:
            assert "requestBody" not in entry, op.name
            continue
        body = entry["requestBody"]
        assert body["required"] is True
        schema = _resolve(doc, body["content"]["application/json"]["schema"])
        assert schema["additionalProperties"] is False, op.name


def test_list_query_parameters_come_from_the_request_model(doc: dict[str, Any]) -> None:
    params = {p["name"]: p for p in _op(doc, operation("customers.list"))["parameters"]}
    assert {"page", "limit", "type", "include_deleted"} <= set(params)
    assert params["page"] == {**params["page"], "in": "query", "required": False}
    assert params["type"]["schema"]["enum"] == ["individual", "company"]
    assert params["include_deleted"]["schema"]["x-sandbox-only"] is True


def test_optional_fields_carry_no_null_default(doc: dict[str, Any]) -> None:
    """``default: null`` makes a field required in openapi-typescript; optional means "not in required"."""
    for node in _walk(doc):
        if isinstance(node, dict) and isinstance(node.get("properties"), dict):
            for name, prop in node["properties"].items():
                assert not (isinstance(prop, dict) and "default" in prop and prop["default"] is None), name
    create = doc["components"]["schemas"]["CustomerCreate"]
    assert create["required"] == ["description", "type"]
    assert "individual" in create["properties"] and "organization_reference_id" in create["properties"]
    assert doc["components"]["schemas"]["WalletReadiness"]["properties"]["missing_field"]["default"] == []


# -- amounts -----------------------------------------------------------------------------------------

REQUEST_AMOUNTS = [("PayinCreate", "amount"), ("PayoutCreate", "sender_amount"), ("PayoutCreate", "beneficiary_amount"),
                   ("OrderItem", "unit_price"), ("OrderFee", "fee_amount"), ("PaymentRequestCreate", "amount"),
                   ("RefundCreate", "amount")]


def _options(prop: dict[str, Any]) -> list[dict[str, Any]]:
    return [option for option in prop.get("anyOf", [prop]) if option != {"type": "null"}]


@pytest.mark.parametrize(("model", "field"), REQUEST_AMOUNTS)
def test_request_amounts_are_decimal_strings_or_integers_never_json_numbers(
        doc: dict[str, Any], model: str, field: str) -> None:
    options = _options(doc["components"]["schemas"][model]["properties"][field])
    assert {option["type"] for option in options} == {"string", "integer"}
    string = next(option for option in options if option["type"] == "string")
    assert string["pattern"] == DECIMAL_PATTERN and string["examples"] == ["30.00"]


def test_request_amount_pattern_accepts_what_the_client_and_sandbox_accept(doc: dict[str, Any]) -> None:
    from paycombat_tools.models.payouts import PayoutCreate

    prop = {"anyOf": _options(doc["components"]["schemas"]["PayoutCreate"]["properties"]["sender_amount"])}
    check = Draft202012Validator(prop).is_valid
    # JSON Schema counts 30.0 as the integer 30, so the refused float here is 30.5; a generated client
    # types these fields ``int | str`` and so never builds a float in the first place.
    for good in ("30.00", "30", "0.5", 30):
        assert check(good), good
        PayoutCreate.model_validate({**REQUEST_EXAMPLES["payouts.create"], "sender_amount": good,
                                     "beneficiary_amount": good})
    for bad in (30.5, "30.", ".5", "3e1", " 30", "-1", "thirty", True):
        assert not check(bad), bad


def test_nullable_request_amounts_keep_their_null_branch(doc: dict[str, Any]) -> None:
    prop = doc["components"]["schemas"]["VirtualAccountCreate"]["properties"]["amount"]
    assert {"type": "null"} in prop["anyOf"]
    assert {option["type"] for option in _options(prop)} == {"string", "integer"}


def test_no_request_schema_offers_a_json_number(doc: dict[str, Any]) -> None:
    for op in OPERATIONS:
        if op.has_body:
            body = _resolve(doc, _op(doc, op)["requestBody"]["content"]["application/json"]["schema"])
            stack, seen = [body], set()
            while stack:
                node = stack.pop()
                for sub in _walk(node):
                    if isinstance(sub, dict) and "$ref" in sub and sub["$ref"] not in seen:
                        seen.add(sub["$ref"])
                        stack.append(_resolve(doc, sub))
                    assert not (isinstance(sub, dict) and sub.get("type") == "number"), op.name


def test_response_amounts_are_numbers_or_numeric_strings(doc: dict[str, Any]) -> None:
    schemas = doc["components"]["schemas"]
    for model, field in [("Payin", "amount"), ("Payout", "wire_amount"), ("MerchantBalance", "total_balance_available"),
                         ("WalletAccount", "available_balance"), ("Transaction", "running_balance_actual")]:
        options = schemas[model]["properties"][field]["anyOf"]
        assert {"type": "number"} in options and {"type": "null"} in options, (model, field)
        assert any(option.get("type") == "string" and "pattern" in option for option in options), (model, field)


# -- responses ---------------------------------------------------------------------------------------

def test_response_shapes_follow_returns_paginated_and_envelope(doc: dict[str, Any]) -> None:
    for op in OPERATIONS:
        responses = _op(doc, op)["responses"]
        if op.returns == "pdf":
            assert "application/pdf" in responses["200"]["content"]
            continue
        data = _data(doc, op)
        if op.paginated:
            assert data["properties"]["data"]["type"] == "array"
            assert {"current_page", "per_page", "total", "last_page"} <= set(data["properties"])
            record = data["properties"]["data"]["items"]
        elif op.returns == "list":
            assert data["type"] == "array"
            record = data["items"]
        else:
            record = data
        if op.envelope == "nested":
            assert set(record["required"]) == {"request_id", "request_time", "success", "status_code",
                                               "status_text", "data"}, op.name
            assert record["properties"]["status_code"]["type"] == "integer"
            assert record["properties"]["success"]["type"] == "boolean"
            record = record["properties"]["data"]
        assert record["$ref"].startswith(SCHEMA_PREFIX), op.name


def test_nested_envelope_operations(doc: dict[str, Any]) -> None:
    nested = {op.name for op in OPERATIONS if op.envelope == "nested"}
    assert {"customers.disable", "customers.delete"} <= nested
    data = _data(doc, operation("customers.disable"))
    assert data["properties"]["data"] == {"$ref": SCHEMA_PREFIX + "Customer"}
    assert _op(doc, operation("customers.disable"))["x-paycombat-envelope"] == "nested"
    assert "x-paycombat-envelope" not in _op(doc, operation("customers.retrieve"))


def test_every_operation_documents_the_error_answers(doc: dict[str, Any]) -> None:
    assert tuple(ERRORS) == ERROR_STATUSES
    components = doc["components"]["responses"]
    for op in OPERATIONS:
        responses = _op(doc, op)["responses"]
        assert set(responses) == {"200", *ERROR_STATUSES}, op.name
        for status in ERROR_STATUSES:
            name = responses[status]["$ref"].removeprefix("#/components/responses/")
            assert name == ERRORS[status][0]
            schema = components[name]["content"]["application/json"]["schema"]
            assert schema == {"$ref": SCHEMA_PREFIX + "Envelope"}
    assert components["TooManyRequests"]["headers"]["Retry-After"]["schema"]["type"] == "string"
    assert all("headers" not in response for name, response in components.items() if name != "TooManyRequests")


def test_error_envelope_has_the_optional_errors_array(doc: dict[str, Any]) -> None:
    envelope = doc["components"]["schemas"]["Envelope"]
    assert envelope["required"] == ["status", "message", "data"]
    assert envelope["properties"]["status"]["const"] is False
    assert envelope["properties"]["data"] == {"type": "null"}
    assert envelope["properties"]["errors"] == {"type": "array", "items": {"$ref": SCHEMA_PREFIX + "FieldError"}}
    assert doc["components"]["schemas"]["FieldError"]["required"] == ["field", "message"]


def test_the_error_envelope_matches_what_the_sandbox_sends(registry: Registry) -> None:
    """A real 422 (with ``errors``) and a real 401 from the sandbox validate against the envelope schema."""
    import requests

    from paycombat_tools.sandbox import Sandbox
    from paycombat_tools.signing import canonical_json, sign

    with Sandbox(seed=1) as sandbox:
        body = canonical_json({"type": "individual"})
        headers = {"X-token": sandbox.token, "Content-Type": "application/json",
                   "signature": sign(body, sandbox.signature_key)}
        path = operation("customers.create").path
        invalid = requests.post(sandbox.url + path, data=body, headers=headers, timeout=10)
        unsigned = requests.post(sandbox.url + path, data=body, headers={**headers, "signature": "0" * 64}, timeout=10)
    assert (invalid.status_code, unsigned.status_code) == (422, 401)
    assert invalid.json()["errors"] and "errors" not in unsigned.json()
    for answer in (invalid, unsigned):
        _assert_valid(registry, "/components/schemas/Envelope", answer.json(), f"sandbox {answer.status_code}")


# -- examples ----------------------------------------------------------------------------------------

def test_every_body_has_an_example_valid_for_its_schema_and_model(doc: dict[str, Any], registry: Registry) -> None:
    assert set(REQUEST_EXAMPLES) == {op.name for op in OPERATIONS if op.has_body}, (
        "add (or drop) the operation's example body in paycombat_tools._openapi_examples.REQUEST_EXAMPLES")
    for op in OPERATIONS:
        if not op.has_body:
            continue
        media = _op(doc, op)["requestBody"]["content"]["application/json"]
        assert media["example"] == REQUEST_EXAMPLES[op.name]
        pointer = _pointer("paths", op.path, op.method.lower(), "requestBody", "content", "application/json", "schema")
        _assert_valid(registry, pointer, media["example"], op.name)
        assert op.request_model is not None
        op.request_model.model_validate(media["example"])  # model validators too (money, required blocks)


def test_the_create_customer_example_is_the_documented_body(doc: dict[str, Any]) -> None:
    example = _op(doc, operation("customers.create"))["requestBody"]["content"]["application/json"]["example"]
    assert example["type"] == "individual" and isinstance(example["description"], str)
    assert set(example["individual"]) == {"first_name", "last_name", "address_country"}


def test_request_examples_are_bytes_that_json_stringify_leaves_alone() -> None:
    """No floats: a generated client sends these bytes, and the server signs JSON.stringify(JSON.parse(body))."""
    for name, example in REQUEST_EXAMPLES.items():
        sent = json.dumps(example, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
        assert reserialise(sent) == sent, name
        assert not any(isinstance(value, float) for value in _walk(example)), name
    amounts = REQUEST_EXAMPLES["payouts.create"]
    assert (amounts["sender_amount"], amounts["beneficiary_amount"]) == ("40.00", "40.00")


def test_every_answer_has_an_example_valid_for_its_schema_and_model(doc: dict[str, Any], registry: Registry) -> None:
    models = {op.response_model.__name__ for op in OPERATIONS if op.response_model is not None}
    assert models <= set(RECORD_EXAMPLES), (
        f"add example records for {sorted(models - set(RECORD_EXAMPLES))} to paycombat_tools._openapi_examples.RECORD_EXAMPLES")
    assert set(RESPONSE_OVERRIDES) <= {op.name for op in OPERATIONS}
    for op in OPERATIONS:
        if op.returns == "pdf":
            continue
        media = _op(doc, op)["responses"]["200"]["content"]["application/json"]
        example = media["example"]
        assert example["status"] is True, op.name
        pointer = _pointer("paths", op.path, op.method.lower(), "responses", "200", "content", "application/json",
                           "schema")
        _assert_valid(registry, pointer, example, op.name)
        records = example["data"]["data"] if op.paginated else example["data"]
        for record in records if isinstance(records, list) else [records]:
            if op.envelope == "nested":
                record = record["data"]
            assert op.response_model is not None
            op.response_model.model_validate(record)


def test_examples_show_no_sandbox_only_fields(doc: dict[str, Any]) -> None:
    """Examples describe the real API: fields marked x-sandbox-only stay out of them."""
    schemas = doc["components"]["schemas"]
    for name, record in RECORD_EXAMPLES.items():
        sandbox_only = {field for field, prop in schemas[name]["properties"].items() if prop.get("x-sandbox-only")}
        assert not sandbox_only & set(record), name


def test_error_examples_are_valid(doc: dict[str, Any], registry: Registry) -> None:
    for status, (name, _, _) in ERRORS.items():
        media = doc["components"]["responses"][name]["content"]["application/json"]
        _assert_valid(registry, "/components/schemas/Envelope", media["example"], status)
    assert doc["components"]["responses"]["UnprocessableEntity"]["content"]["application/json"]["example"]["errors"]


# -- the sandbox's control plane --------------------------------------------------------------------------

def test_every_control_route_is_documented_as_sandbox_only_under_its_tag(doc: dict[str, Any]) -> None:
    for route in ROUTES:
        entry = doc["paths"][route.path][route.method.lower()]
        assert route.path.startswith(PREFIX + "/")
        assert entry["operationId"] == route.operation_id and entry["tags"] == [TAG]
        assert entry["x-sandbox-only"] is True and entry["security"] == [TOKEN], route.name
        assert ("requestBody" in entry) is (route.body is not None), route.name
        assert {p["name"] for p in entry.get("parameters", [])} == set(route.query.model_fields if route.query else ())
    tag = next(tag for tag in doc["tags"] if tag["name"] == TAG)
    assert tag["x-sandbox-only"] is True and "X-token" in tag["description"]
    control = [entry for item in doc["paths"].values() for entry in item.values() if entry["tags"] == [TAG]]
    assert len(control) == len(ROUTES)


def test_control_bodies_have_examples_valid_for_their_schema_and_model(doc: dict[str, Any],
                                                                       registry: Registry) -> None:
    with_body = [route for route in ROUTES if route.body is not None]
    assert set(CONTROL_EXAMPLES) == {route.name for route in with_body}
    for route in with_body:
        media = doc["paths"][route.path][route.method.lower()]["requestBody"]["content"]["application/json"]
        assert media["example"] == CONTROL_EXAMPLES[route.name]
        _assert_valid(registry, _pointer("paths", route.path, route.method.lower(), "requestBody", "content",
                                         "application/json", "schema"), media["example"], route.name)
        assert route.body is not None
        route.body.model_validate(media["example"])


def test_control_answers_match_their_documented_schemas(registry: Registry, paycombat_sandbox: Any,
                                                        paycombat_webhooks: Any) -> None:
    """Each route's real answer (the plugin's sandbox, over HTTP) against its documented 200 schema."""
    import requests

    headers = {"X-token": paycombat_sandbox.token}
    for route in ROUTES:
        answer = requests.request(route.method, paycombat_sandbox.url + route.path,
                                  json=CONTROL_EXAMPLES.get(route.name), params={"wait": "5"} if route.query else None,
                                  headers=headers, timeout=30)
        assert answer.status_code == 200, (route.name, answer.text)
        pointer = _pointer("paths", route.path, route.method.lower(), "responses", "200", "content", "application/json",
                           "schema")
        _assert_valid(registry, pointer, answer.json(), route.name)
        route.answer.model_validate(answer.json()["data"])
    refused = requests.post(paycombat_sandbox.url + "/_sandbox/clock/advance", json={"seconds": -1}, headers=headers,
                            timeout=10)
    assert refused.status_code == 422
    _assert_valid(registry, "/components/schemas/Envelope", refused.json(), "a refused control call")
