"""An OpenAPI 3.1 description of the PayCombat API, generated from the catalog and the models.

Paths, parameters, security, bodies and responses come from ``catalog.OPERATIONS`` and the pydantic
models it names; each operation carries the catalog's evidence as ``x-paycombat-*`` extensions.
The only hand-written parts are the examples: one request body per operation that sends one
(``REQUEST_EXAMPLES``) and one record per response model (``RECORD_EXAMPLES``), kept in
``_openapi_examples``, which the tests check against both the schemas and the models. Regenerate the committed file with
``python -m paycombat_tools.openapi [path]`` (default ``openapi.json``).

Amounts: a request amount is described as a decimal *string* (``"30.00"``) or an integer, never
a JSON float, so that a generated client sends bytes that ``JSON.stringify(JSON.parse(body))``
leaves unchanged and its signature verifies (a float ``30.0`` becomes ``30`` there). Responses
carry numbers or numeric strings.
"""

from __future__ import annotations

import copy
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic.json_schema import GenerateJsonSchema, JsonSchemaMode, JsonSchemaValue, models_json_schema

from . import __version__, limits
from ._openapi_control import TAG_DOC as CONTROL_TAG
from ._openapi_control import control_models, control_paths
from ._openapi_examples import ANSWERED_AT, RECORD_EXAMPLES, REQUEST_EXAMPLES, RESPONSE_OVERRIDES
from .catalog import OPERATIONS, Operation
from .models._base import RequestModel

if TYPE_CHECKING:
    from pydantic import BaseModel
    from pydantic_core import core_schema

Schema = dict[str, Any]
#: (model class, "validation" | "serialization"), as pydantic's models_json_schema keys them.
ModelKey = tuple[Any, JsonSchemaMode]

SERVER = "https://api.paycombat.com"
SCHEMA_REF = "#/components/schemas/{model}"
RESPONSE_REF = "#/components/responses/{name}"
#: A non-negative decimal written out in digits: what a request amount looks like as a string.
DECIMAL_PATTERN = r"^\d+(\.\d+)?$"

#: Request amounts: a decimal string or an integer. A JSON float (``30.0``) is not offered because
#: JSON.stringify(JSON.parse(body)) rewrites it (``30``), so a signature over the sent bytes fails.
REQUEST_AMOUNT: Schema = {
    "anyOf": [
        {"type": "string", "pattern": DECIMAL_PATTERN, "examples": ["30.00"]},
        {"type": "integer", "minimum": 0},
    ],
    "description": 'An exact amount: a decimal string such as "30.00" (or an integer), in the currency\'s '
                   "minor unit at most. Not a JSON float: JSON.stringify(JSON.parse(body)) rewrites 30.0 as 30, "
                   "so a signature over the float's bytes would not verify.",
}
#: Response amounts: a JSON number, or a numeric string.
RESPONSE_AMOUNT: Schema = {"anyOf": [{"type": "number"}, {"type": "string", "pattern": r"^-?\d+(\.\d+)?$"}]}

ERROR_ENVELOPE = "Envelope"
FIELD_ERROR = "FieldError"

#: status -> (component response name, description, example message).
ERRORS: dict[str, tuple[str, str, str]] = {
    "400": ("BadRequest", "Malformed JSON, a body that is not an object, or a request the records refuse "
            "(insufficient balance, a disabled customer).", "Malformed JSON body"),
    "401": ("Unauthorized", "Missing or unknown X-token, or a missing or wrong signature.",
            "Invalid signature: expected HMAC-SHA256 of JSON.stringify(body) with your signature key"),
    "404": ("NotFound", "No such record, or no route for this path.",
            "Customer 'customer_d92a4aa2b410d93c4efbc8d60b21fbac' not found"),
    "405": ("MethodNotAllowed", "The path exists, but not with this method.",
            "DELETE is not allowed on /api/v1/payin/create"),
    "406": ("NotAcceptable", "The body is not application/json, or the record is not in a state this call "
            "accepts (simulating a payin that is no longer PENDING).",
            "Content-Type must be application/json"),
    "409": ("Conflict", "The request conflicts with the record's state, or reuses an idempotency reference "
            "with a different request.",
            "order_id 'order-1001' was already used with a different request"),
    "422": ("UnprocessableEntity", "Validation failed; `errors` names each field.",
            "invalid request: description: Field required"),
    "429": ("TooManyRequests", "Rate limited: wait `Retry-After` seconds, then retry.",
            "Too many requests, slow down"),
    "500": ("InternalServerError", "The server failed; retry POSTs only with the same idempotency reference.",
            "Internal server error"),
    "503": ("ServiceUnavailable", "Temporarily unavailable; retry later.", "Service temporarily unavailable"),
}
ERROR_STATUSES = tuple(ERRORS)

ERROR_SCHEMAS: Schema = {
    ERROR_ENVELOPE: {
        "type": "object",
        "description": "The API's error envelope; `errors` (when present) names the fields that failed validation.",
        "required": ["status", "message", "data"],
        "properties": {
            "status": {"type": "boolean", "const": False},
            "message": {"type": "string"},
            "data": {"type": "null"},
            "errors": {"type": "array", "items": {"$ref": SCHEMA_REF.format(model=FIELD_ERROR)}},
        },
    },
    FIELD_ERROR: {
        "type": "object",
        "description": "One field that failed validation (a dotted path into the body or query).",
        "required": ["field", "message"],
        "properties": {"field": {"type": "string"}, "message": {"type": "string"}},
    },
}

#: Finmo's envelope inside ``data`` (``envelope="nested"`` operations), around the record.
NESTED_FIELDS: Schema = {
    "request_id": {"type": "string"},
    "request_time": {"type": "string", "format": "date-time"},
    "success": {"type": "boolean"},
    "status_code": {"type": "integer"},
    "status_text": {"type": "string"},
}

SECURITY_SCHEMES: Schema = {
    "XToken": {
        "type": "apiKey", "in": "header", "name": "X-token",
        "description": "Personal access token (sandbox tokens start with `snd_`). Sent on every request.",
    },
    "Signature": {
        "type": "apiKey", "in": "header", "name": "signature",
        "description": "Lowercase hex HMAC-SHA256, keyed with the merchant signature key, over "
                       "JSON.stringify(JSON.parse(body)) (compact JSON, key order kept). Each operation's "
                       "`x-paycombat-signature` says whether it is required, optional or not used.",
    },
}

# -- schemas ---------------------------------------------------------------------------------------

class _AmountSchemas(GenerateJsonSchema):
    """``Decimal`` (amounts): a decimal string or integer in requests, a number or string in responses."""

    def decimal_schema(self, schema: "core_schema.DecimalSchema") -> JsonSchemaValue:
        json_schema: JsonSchemaValue = copy.deepcopy(REQUEST_AMOUNT if self.mode == "validation" else RESPONSE_AMOUNT)
        for option in json_schema["anyOf"]:  # any bounds apply to the numeric branch
            if option["type"] != "string":
                self.update_with_validations(option, schema, self.ValidationsMapping.numeric)
        return json_schema


    def model_schema(self, schema: "core_schema.ModelSchema") -> JsonSchemaValue:
        """Request models state ``paycombat_tools.limits``: ``maxLength`` / ``maxItems`` per field."""
        json_schema = super().model_schema(schema)
        if self.mode == "validation" and issubclass(schema["cls"], RequestModel):
            for name, prop in (json_schema.get("properties") or {}).items():
                _state_limits(name, prop)
        return json_schema


def _state_limits(name: str, prop: Schema) -> None:
    for option in prop.get("anyOf", [prop]):
        if option.get("type") == "string" and not {"format", "pattern", "enum", "const"} & set(option):
            option.setdefault("maxLength", limits.max_length(name))
        elif option.get("type") == "array":
            option.setdefault("maxItems", limits.LIST_ITEMS)
            if option.get("items", {}).get("type") == "string":
                option["items"].setdefault("maxLength", limits.max_length(name))


def _drop_null_defaults(node: Any) -> None:
    """Remove ``default: null`` from every property: some generators read a default as "always present"
    (openapi-typescript makes such fields required). Leaving a field out of ``required`` keeps it optional."""
    if isinstance(node, dict):
        for prop in (node.get("properties") or {}).values():
            if isinstance(prop, dict) and "default" in prop and prop["default"] is None:
                del prop["default"]
        for value in node.values():
            _drop_null_defaults(value)
    elif isinstance(node, list):
        for value in node:
            _drop_null_defaults(value)


def _flatten_any_of(node: Any) -> None:
    """``anyOf: [{anyOf: [string, integer], description}, null]`` -> ``anyOf: [string, integer, null]``,
    the description moved up: what pydantic writes for ``Amount | None``, flattened for generators."""
    if isinstance(node, dict):
        options = node.get("anyOf")
        if isinstance(options, list):
            flat: list[Any] = []
            for option in options:
                if isinstance(option, dict) and "anyOf" in option and set(option) <= {"anyOf", "description"}:
                    flat.extend(option["anyOf"])
                    if "description" in option:
                        node.setdefault("description", option["description"])
                else:
                    flat.append(option)
            node["anyOf"] = flat
        for value in node.values():
            _flatten_any_of(value)
    elif isinstance(node, list):
        for value in node:
            _flatten_any_of(value)


def _model_schemas() -> tuple[dict[ModelKey, Schema], Schema]:
    """Refs for every request (validation) and response (serialization) model, and all their schemas."""
    keys: list[tuple["type[BaseModel]", JsonSchemaMode]] = []
    for op in OPERATIONS:
        for key in ((op.request_model, "validation"), (op.response_model, "serialization")):
            if key[0] is not None and key not in keys:
                keys.append((key[0], key[1]))
    keys += [key for key in control_models() if key not in keys]  # the sandbox's /_sandbox/ control plane
    # models_json_schema hoists every $defs entry and disambiguates clashing names across modules.
    refs, top = models_json_schema(keys, ref_template=SCHEMA_REF, schema_generator=_AmountSchemas)
    schemas: Schema = top.get("$defs", {})
    clashes = set(schemas) & set(ERROR_SCHEMAS)
    if clashes:
        raise RuntimeError(f"model names {sorted(clashes)} clash with the error envelope schemas")
    _drop_null_defaults(schemas)
    _flatten_any_of(schemas)
    return dict(refs), schemas


def _schema_name(ref: Schema) -> str:
    return str(ref["$ref"]).rsplit("/", 1)[-1]


def _nested(schema: Schema) -> bool:
    return any("$ref" in option or option.get("type") in ("object", "array")
               for option in (schema, *schema.get("anyOf", [])))


def _query_schema(prop: Schema) -> Schema:
    """A field's schema as a query parameter: omitted rather than null, so the null branch goes."""
    schema = {key: value for key, value in prop.items() if not (key == "default" and value is None)}
    options = [option for option in schema.pop("anyOf", []) if option != {"type": "null"}]
    if len(options) == 1:
        schema.update(options[0])
    elif options:
        schema["anyOf"] = options
    return schema


def _query_parameters(model_schema: Schema) -> list[Schema]:
    """The request model's flat fields as query parameters (GET/DELETE); nested ones are skipped."""
    required = set(model_schema.get("required", []))
    return [
        {"name": name, "in": "query", "required": name in required, "schema": _query_schema(prop)}
        for name, prop in model_schema.get("properties", {}).items()
        if not _nested(prop)
    ]


def _record_schema(op: Operation, refs: dict[ModelKey, Schema]) -> Schema:
    """One record of the answer, wrapped in Finmo's envelope for ``nested`` operations."""
    model = op.response_model
    item: Schema = dict(refs[(model, "serialization")]) if model is not None else {}
    if op.envelope != "nested":
        return item
    return {
        "type": "object",
        "description": "Finmo's envelope around the record.",
        "required": [*NESTED_FIELDS, "data"],
        "properties": {**copy.deepcopy(NESTED_FIELDS), "data": item},
    }


def _data_schema(op: Operation, refs: dict[ModelKey, Schema]) -> Schema:
    """What the envelope's ``data`` holds: one record, a list, or a Laravel-style paginator."""
    item = _record_schema(op, refs)
    if op.paginated:
        return {
            "type": "object",
            "required": ["data"],
            "properties": {
                "current_page": {"type": "integer"},
                "per_page": {"type": "integer"},
                "total": {"type": "integer"},
                "last_page": {"type": "integer"},
                "data": {"type": "array", "items": item},
            },
        }
    if op.returns == "list":
        return {"type": "array", "items": item}
    return item


def _data_example(op: Operation) -> Any:
    """The example of ``data`` for one operation, or None when its model has no example record."""
    model = op.response_model
    if model is None or model.__name__ not in RECORD_EXAMPLES:
        return None
    record: Any = {**copy.deepcopy(RECORD_EXAMPLES[model.__name__]), **copy.deepcopy(RESPONSE_OVERRIDES.get(op.name, {}))}
    if op.envelope == "nested":
        record = {"request_id": "req_d037cdff7c240d4969d495dd81355c53", "request_time": ANSWERED_AT, "success": True,
                  "status_code": 200, "status_text": "OK", "data": record}
    if op.paginated:
        return {"current_page": 1, "per_page": 20, "total": 1, "last_page": 1, "data": [record]}
    if op.returns == "list":
        return [record]
    return record


def _success(op: Operation, refs: dict[ModelKey, Schema]) -> Schema:
    if op.returns == "pdf":
        # application/octet-stream too, so generators that read binary bodies only under that type keep it
        binary = {"schema": {"type": "string", "format": "binary"}}
        return {"description": "The document as a PDF file (sent as application/pdf).",
                "content": {"application/pdf": dict(binary), "application/octet-stream": dict(binary)}}
    envelope = {
        "type": "object",
        "required": ["status", "message", "data"],
        "properties": {
            "status": {"type": "boolean", "const": True},
            "message": {"type": "string"},
            "data": _data_schema(op, refs),
        },
    }
    media: Schema = {"schema": envelope}
    data = _data_example(op)
    if data is not None:
        media["example"] = {"status": True, "message": "OK", "data": data}
    return {"description": "Success envelope.", "content": {"application/json": media}}


def _security(op: Operation) -> list[Schema]:
    """The documented signing rule as security alternatives; an optional token adds one without it."""
    token: Schema = {"XToken": []}
    signed: Schema = {"XToken": [], "Signature": []}
    options = {"required": [signed], "optional": [signed, token], "none": [token]}[op.signature or "none"]
    if op.token == "optional":
        options.append({"Signature": []} if op.signature == "required" else {})
    return options


def _description(op: Operation) -> str:
    """The evidence and signing rule in words (the summary already says what the call does)."""
    lines = []
    if op.sandbox_only:
        lines.append("**Sandbox only**: not part of the live API.")
    lines.append(f"Evidence: `{op.confidence}`, {op.source}.")
    lines.append(f"Signature: {op.signature}.")
    return "\n\n".join(lines)


def _operation(op: Operation, refs: dict[ModelKey, Schema], schemas: Schema) -> Schema:
    """One operation object, with the PayCombat facts as ``x-paycombat-*`` extensions."""
    doc: Schema = {
        "operationId": op.name.replace(".", "_"),
        "summary": op.summary,
        "description": _description(op),
        "tags": [op.resource],
        "x-paycombat-operation": op.name,
        "x-paycombat-confidence": op.confidence,
        "x-paycombat-source": op.source,
        "x-paycombat-signature": op.signature,
        "x-paycombat-risk": op.risk,
    }
    if op.envelope != "flat":
        doc["x-paycombat-envelope"] = op.envelope
    if op.idempotency_field:
        doc["x-paycombat-idempotency-field"] = op.idempotency_field
    if op.sandbox_only:
        doc["x-sandbox-only"] = True
    doc["security"] = _security(op)
    parameters: list[Schema] = [
        {"name": name, "in": "path", "required": True, "schema": {"type": "string"}} for name in op.path_params
    ]
    model = op.request_model
    if not op.has_body and model is not None:
        parameters += _query_parameters(schemas[_schema_name(refs[(model, "validation")])])
    if parameters:
        doc["parameters"] = parameters
    if op.has_body:  # bodiless PATCH/DELETE (no request model) get no requestBody
        media: Schema = {"schema": dict(refs[(model, "validation")])}
        if op.name in REQUEST_EXAMPLES:
            media["example"] = copy.deepcopy(REQUEST_EXAMPLES[op.name])
        doc["requestBody"] = {"required": True, "content": {"application/json": media}}
    doc["responses"] = {
        "200": _success(op, refs),
        **{status: {"$ref": RESPONSE_REF.format(name=name)} for status, (name, _, _) in ERRORS.items()},
    }
    return doc


def _error_responses() -> Schema:
    responses: Schema = {}
    for status, (name, description, message) in ERRORS.items():
        example: Schema = {"status": False, "message": message, "data": None}
        if status == "422":
            example["errors"] = [{"field": "description", "message": "Field required"}]
        response: Schema = {
            "description": description,
            "content": {"application/json": {"schema": {"$ref": SCHEMA_REF.format(model=ERROR_ENVELOPE)},
                                             "example": example}},
        }
        if status == "429":
            response["headers"] = {"Retry-After": {
                "description": "Seconds to wait before retrying (the sandbox may send a fraction, e.g. 0.5).",
                "schema": {"type": "string", "pattern": r"^\d+(\.\d+)?$", "examples": ["1"]},
            }}
        responses[name] = response
    return responses


def build() -> dict[str, Any]:
    """The whole OpenAPI 3.1.0 document, as plain JSON-ready data."""
    refs, schemas = _model_schemas()
    paths: dict[str, Schema] = {}
    for op in OPERATIONS:  # operations sharing a path (differing only in method) share one path item
        paths.setdefault(op.path, {})[op.method.lower()] = _operation(op, refs, schemas)
    paths.update(control_paths(refs, schemas, query_parameters=_query_parameters,
                               error_ref=lambda status: {"$ref": RESPONSE_REF.format(name=ERRORS[status][0])}))
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "PayCombat API (community description)",
            "version": __version__,
            "description": "Generated by paycombat-tools from its operation catalog and models; not published "
                           "by PayCombat. Each operation says how sure we are of it (`x-paycombat-confidence`: "
                           "`confirmed` seen in PayCombat's docs or in code calling the live API, `dev-docs` seen "
                           "only in the internal dev docs, `inferred` a best guess), what that rests on "
                           "(`x-paycombat-source`) and its signing rule (`x-paycombat-signature`). Operations and "
                           "fields marked `x-sandbox-only` exist only in the local sandbox; so does its control "
                           "plane (tag `sandbox-control`, paths under /_sandbox/). Send amounts as decimal "
                           'strings ("30.00"): the signature covers JSON.stringify(JSON.parse(body)).',
        },
        "servers": [{"url": SERVER}],
        "tags": [*({"name": name} for name in dict.fromkeys(op.resource for op in OPERATIONS)), CONTROL_TAG],
        "paths": paths,
        "components": {
            "schemas": {**schemas, **copy.deepcopy(ERROR_SCHEMAS)},
            "responses": _error_responses(),
            "securitySchemes": SECURITY_SCHEMES,
        },
    }


def render(doc: dict[str, Any] | None = None) -> str:
    """The document as the text committed in ``openapi.json``."""
    return json.dumps(build() if doc is None else doc, indent=2, sort_keys=False) + "\n"


def write(path: str | Path = "openapi.json") -> Path:
    """Write the document to ``path`` and return it."""
    target = Path(path)
    target.write_text(render(), encoding="utf-8")
    return target


if __name__ == "__main__":
    print(f"wrote {write(*sys.argv[1:2])}")
