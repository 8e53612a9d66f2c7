"""The control plane's part of ``openapi.json``: the ``/_sandbox/`` paths under the ``sandbox-control`` tag.

Generated from ``sandbox_control.ROUTES`` and its models, like the API's paths from the catalog; every
operation is ``x-sandbox-only`` and needs only the ``X-token`` (nothing is signed).
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

from pydantic.json_schema import JsonSchemaMode

from .sandbox_control import ROUTES, TAG, ControlRoute

Schema = dict[str, Any]
ModelKey = tuple[Any, JsonSchemaMode]

TAG_DOC: Schema = {
    "name": TAG,
    "description": "Sandbox only: drive a local sandbox from any language (reset to the seed, move the clock, "
                   "plan faults, trigger outcomes, read the webhook delivery log). Needs the sandbox's X-token; "
                   "nothing is signed. The real PayCombat API has no /_sandbox/ routes.",
    "x-sandbox-only": True,
}
#: The refusals a control route can answer with (the API's error envelope).
ERROR_STATUSES = ("400", "401", "404", "405", "406", "422", "500")

#: One request body per route that takes one (the tests check them against the schemas and models).
REQUEST_EXAMPLES: dict[str, Schema] = {
    "advance_clock": {"seconds": 172800},
    "set_faults": {"plan": {"payouts.create": ["drop_after_commit"]}, "latency": 1},
    "trigger": {"event": "payout.success", "amount": "40.00", "currency": "AUD"},
    "set_notification_url": {"notification_url": "http://127.0.0.1:4242/webhooks"},
}


def control_models() -> list[ModelKey]:
    """Every body and query (validation) and answer (serialization) model the routes use."""
    keys: list[ModelKey] = []
    for route in ROUTES:
        for key in ((route.body, "validation"), (route.query, "validation"), (route.answer, "serialization")):
            if key[0] is not None and key not in keys:
                keys.append(key)  # type: ignore[arg-type]
    return keys


def control_paths(refs: dict[ModelKey, Schema], schemas: Schema, *, error_ref: Callable[[str], Schema],
                  query_parameters: Callable[[Schema], list[Schema]]) -> dict[str, Schema]:
    """``{path: {method: operation}}`` for every control route."""
    paths: dict[str, Schema] = {}
    for route in ROUTES:
        paths.setdefault(route.path, {})[route.method.lower()] = _operation(route, refs, schemas, error_ref,
                                                                            query_parameters)
    return paths


def _operation(route: ControlRoute, refs: dict[ModelKey, Schema], schemas: Schema,
               error_ref: Callable[[str], Schema], query_parameters: Callable[[Schema], list[Schema]]) -> Schema:
    doc: Schema = {
        "operationId": route.operation_id,
        "summary": route.summary,
        "description": "**Sandbox only**: not part of the live API. Needs the sandbox's X-token; not signed.",
        "tags": [TAG],
        "x-sandbox-only": True,
        "security": [{"XToken": []}],
    }
    if route.query is not None:
        query_ref = refs[(route.query, "validation")]
        doc["parameters"] = query_parameters(schemas[str(query_ref["$ref"]).rsplit("/", 1)[-1]])
    if route.body is not None:
        media: Schema = {"schema": dict(refs[(route.body, "validation")])}
        if route.name in REQUEST_EXAMPLES:
            media["example"] = copy.deepcopy(REQUEST_EXAMPLES[route.name])
        doc["requestBody"] = {"required": True, "content": {"application/json": media}}
    envelope = {
        "type": "object",
        "required": ["status", "message", "data"],
        "properties": {"status": {"type": "boolean", "const": True}, "message": {"type": "string"},
                       "data": dict(refs[(route.answer, "serialization")])},
    }
    success = {"description": "Success envelope.", "content": {"application/json": {"schema": envelope}}}
    doc["responses"] = {"200": success, **{status: error_ref(status) for status in ERROR_STATUSES}}
    return doc
