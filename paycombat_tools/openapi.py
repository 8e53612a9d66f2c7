"""An OpenAPI 3.1 description of the PayCombat API, generated from the catalog and the models.

Nothing here is written per operation: paths, parameters, bodies and responses all come from
``catalog.OPERATIONS`` and the pydantic models it names. Regenerate the committed file with
``python -m paycombat_tools.openapi [path]`` (default ``openapi.json``).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic.json_schema import GenerateJsonSchema, JsonSchemaMode, JsonSchemaValue, models_json_schema

from . import __version__
from .catalog import OPERATIONS, Operation

if TYPE_CHECKING:
    from pydantic import BaseModel
    from pydantic_core import core_schema

Schema = dict[str, Any]
#: (model class, "validation" | "serialization"), as pydantic's models_json_schema keys them.
ModelKey = tuple[Any, JsonSchemaMode]

SERVER = "https://api.paycombat.com"
SCHEMA_REF = "#/components/schemas/{model}"
ERROR_STATUSES = ("400", "401", "404", "409", "422", "429", "500")
ERROR_RESPONSE: Schema = {"$ref": "#/components/responses/Error"}
#: The body of a POST/PATCH that takes no fields: the client signs and sends ``{}``.
EMPTY_BODY: Schema = {"type": "object", "additionalProperties": False}

ENVELOPE: Schema = {
    "type": "object",
    "description": "The API's error envelope.",
    "required": ["status", "message", "data"],
    "properties": {
        "status": {"type": "boolean", "const": False},
        "message": {"type": "string"},
        "data": {"type": "null"},
    },
}

SECURITY_SCHEMES: Schema = {
    "XToken": {
        "type": "apiKey", "in": "header", "name": "X-token",
        "description": "Personal access token (sandbox tokens start with `snd_`). Sent on every request.",
    },
    "Signature": {
        "type": "apiKey", "in": "header", "name": "signature",
        "description": "Lowercase hex HMAC-SHA256, keyed with the merchant signature key, over "
                       "JSON.stringify(JSON.parse(body)) (compact JSON, key order kept). Required on POST/PATCH.",
    },
}


class _NumberDecimals(GenerateJsonSchema):
    """Render ``Decimal`` (amounts) as a JSON number in both modes: that is what the wire carries."""

    def decimal_schema(self, schema: "core_schema.DecimalSchema") -> JsonSchemaValue:
        json_schema: JsonSchemaValue = {"type": "number"}
        self.update_with_validations(json_schema, schema, self.ValidationsMapping.numeric)
        return json_schema


def _model_schemas() -> tuple[dict[ModelKey, Schema], Schema]:
    """Refs for every request (validation) and response (serialization) model, and all their schemas."""
    keys: list[tuple["type[BaseModel]", JsonSchemaMode]] = []
    for op in OPERATIONS:
        for key in ((op.request_model, "validation"), (op.response_model, "serialization")):
            if key[0] is not None and key not in keys:
                keys.append((key[0], key[1]))
    # models_json_schema hoists every $defs entry and disambiguates clashing names across modules.
    refs, top = models_json_schema(keys, ref_template=SCHEMA_REF, schema_generator=_NumberDecimals)
    schemas: Schema = top.get("$defs", {})
    if "Envelope" in schemas:
        raise RuntimeError("a model named Envelope clashes with the error envelope schema")
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


def _data_schema(op: Operation, refs: dict[ModelKey, Schema]) -> Schema:
    """What the envelope's ``data`` holds: one record, a list, or a Laravel-style paginator."""
    model = op.response_model
    item: Schema = dict(refs[(model, "serialization")]) if model is not None else {}
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


def _success(op: Operation, refs: dict[ModelKey, Schema]) -> Schema:
    if op.returns == "pdf":
        return {"description": "The document as a PDF file.",
                "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}}}
    envelope = {
        "type": "object",
        "required": ["status", "message", "data"],
        "properties": {
            "status": {"type": "boolean", "const": True},
            "message": {"type": "string"},
            "data": _data_schema(op, refs),
        },
    }
    return {"description": "Success envelope.", "content": {"application/json": {"schema": envelope}}}


def _operation(op: Operation, refs: dict[ModelKey, Schema], schemas: Schema) -> Schema:
    """One operation object, with the PayCombat facts as ``x-paycombat-*`` extensions."""
    doc: Schema = {
        "operationId": op.name.replace(".", "_"),
        "summary": op.summary,
        "tags": [op.resource],
        "x-paycombat-operation": op.name,
        "x-paycombat-confidence": op.confidence,
        "x-paycombat-risk": op.risk,
    }
    if op.idempotency_field:
        doc["x-paycombat-idempotency-field"] = op.idempotency_field
    if op.sandbox_only:
        doc["x-paycombat-sandbox-only"] = True
    doc["security"] = [{"XToken": [], "Signature": []}] if op.has_body else [{"XToken": []}]
    parameters: list[Schema] = [
        {"name": name, "in": "path", "required": True, "schema": {"type": "string"}} for name in op.path_params
    ]
    model = op.request_model
    if not op.has_body and model is not None:
        parameters += _query_parameters(schemas[_schema_name(refs[(model, "validation")])])
    if parameters:
        doc["parameters"] = parameters
    if op.has_body:
        body = dict(refs[(model, "validation")]) if model is not None else dict(EMPTY_BODY)
        doc["requestBody"] = {"required": True, "content": {"application/json": {"schema": body}}}
    doc["responses"] = {"200": _success(op, refs), **{status: dict(ERROR_RESPONSE) for status in ERROR_STATUSES}}
    return doc


def build() -> dict[str, Any]:
    """The whole OpenAPI 3.1.0 document, as plain JSON-ready data."""
    refs, schemas = _model_schemas()
    paths: dict[str, Schema] = {}
    for op in OPERATIONS:  # operations sharing a path (differing only in method) share one path item
        paths.setdefault(op.path, {})[op.method.lower()] = _operation(op, refs, schemas)
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "PayCombat API (community description)",
            "version": __version__,
            "description": "Generated by paycombat-tools from its operation catalog and models; not published "
                           "by PayCombat. Operations marked `x-paycombat-confidence: inferred` have best-guess "
                           "paths; `confirmed` ones were seen in PayCombat's docs or in code calling the live API.",
        },
        "servers": [{"url": SERVER}],
        "tags": [{"name": name} for name in dict.fromkeys(op.resource for op in OPERATIONS)],
        "paths": paths,
        "components": {
            "schemas": {**schemas, "Envelope": ENVELOPE},
            "responses": {"Error": {
                "description": "Error envelope.",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Envelope"}}},
            }},
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
