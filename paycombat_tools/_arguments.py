"""A method's arguments, checked into a ``Call`` before anything is built: one set of rules for every client."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from . import limits
from .catalog import Operation
from .errors import InvalidRequestError

if TYPE_CHECKING:
    from pydantic import BaseModel

#: Headers the client owns: ``extra_headers`` may not replace them.
_OWN_HEADERS = frozenset({"x-token", "signature", "content-type"})
#: An HTTP header name (RFC 9110 token).
_TOKEN = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")


@dataclass(frozen=True)
class Extras:
    """``extra_body`` / ``extra_query`` / ``extra_headers``: what the models don't know yet, sent as given.

    ``extra_body`` is merged into the JSON body before it is serialised and signed, so it is signed
    like every other field.
    """

    body: Mapping[str, Any] = field(default_factory=dict)
    query: Mapping[str, str] = field(default_factory=dict)
    headers: Mapping[str, str] = field(default_factory=dict)

    def checked_headers(self, operation: str) -> dict[str, str]:
        """The extra headers, refused (naming them) if they replace the client's own or cannot go on the wire.

        HTTP carries header values as Latin-1 bytes without line breaks; checked here, so both transports
        refuse the same values with the same error instead of each HTTP library its own way.
        """
        clash = sorted(name for name in self.headers if name.lower() in _OWN_HEADERS)
        if clash:
            raise InvalidRequestError(f"extra_headers may not set {', '.join(clash)}: the client sets them",
                                      operation=operation)
        unsendable = sorted(str(name) for name, value in self.headers.items() if not _sendable(name, value))
        if unsendable:
            raise InvalidRequestError(f"extra_headers {', '.join(unsendable)}: a header name must be a token and its "
                                      "value text of Latin-1 characters without line breaks", operation=operation)
        return dict(self.headers)


def _sendable(name: Any, value: Any) -> bool:
    """A header HTTP can carry: a token for a name, Latin-1 text without line breaks for a value."""
    if not isinstance(name, str) or not _TOKEN.fullmatch(name) or not isinstance(value, str):
        return False
    return not any(char in value for char in "\r\n\0") and all(ord(char) < 256 for char in value)


@dataclass(frozen=True)
class Call:
    """One operation with checked arguments: path parameters, the request model and the extras."""

    operation: Operation
    path_params: Mapping[str, str]
    payload: "BaseModel | None"
    extras: Extras = field(default_factory=Extras)


def checked_call(operation: Operation, args: tuple[Any, ...], fields: dict[str, Any], *, request: Any = None,
                 extra_body: Mapping[str, Any] | None = None, extra_query: Mapping[str, Any] | None = None,
                 extra_headers: Mapping[str, str] | None = None) -> Call:
    """The call a method's arguments describe, or an ``InvalidRequestError`` naming the problem (nothing is sent)."""
    if request is not None:
        if fields:
            raise InvalidRequestError("pass either request= or fields, not both", operation=operation.name)
        fields = request.model_dump(exclude_none=True) if hasattr(request, "model_dump") else dict(request)
    try:
        path_params = _positional(operation, args, fields)
        payload = validate_arguments(operation, fields)
        extras = Extras(dict(extra_body or {}), {k: str(v) for k, v in (extra_query or {}).items()},
                        dict(extra_headers or {}))
        known = sorted(set(extras.body) & set(payload.model_fields_set if payload is not None else ()))
        if known:
            raise InvalidRequestError(f"{', '.join(known)} given twice (as a field and in extra_body)",
                                      operation=operation.name)
    except InvalidRequestError as error:  # nothing was sent; still name the caller's reference
        reference_field = operation.idempotency_field
        given = fields.get(reference_field) if reference_field else None
        if isinstance(given, (str, int)) and len(str(given)) <= limits.REFERENCE:
            error.with_reference(reference_field, given, outcome_unknown=False, exchange=None)
        raise
    return Call(operation, path_params, payload, extras)


def _positional(operation: Operation, args: tuple[Any, ...], fields: dict[str, Any]) -> dict[str, str]:
    """Path parameters (returned) and positional body fields (moved into ``fields``), checked."""
    names = operation.positional
    if len(args) > len(names):
        raise InvalidRequestError(
            f"{operation.name} takes {len(names)} positional argument(s) ({', '.join(names) or 'none'})",
            operation=operation.name,
        )
    values = dict(zip(names, args))
    twice = sorted(set(values) & set(fields))
    if twice:
        raise InvalidRequestError(f"{', '.join(twice)} given twice (by position and by name)",
                                  operation=operation.name)
    for name in names[len(args):]:
        if name in fields:
            values[name] = fields.pop(name)
    for name in names:
        value = values.get(name)
        if not isinstance(value, str) or not value.strip():
            raise InvalidRequestError(f"{name} is required and must be a non-empty string",
                                      operation=operation.name)
    for name in operation.body_args:
        fields[name] = values.pop(name)
    return values


def validate_arguments(operation: Operation, fields: Mapping[str, Any]) -> "BaseModel | None":
    """Build the request model, or refuse with every problem named (nothing is sent)."""
    from pydantic import ValidationError as PydanticValidationError

    model = operation.request_model
    if model is None:
        if fields:
            raise InvalidRequestError(
                f"{operation.name} takes no fields, got {', '.join(sorted(fields))}", operation=operation.name
            )
        return None
    try:
        return model.model_validate(dict(fields))
    except PydanticValidationError as error:
        from .models._base import describe_validation_error

        raise InvalidRequestError(describe_validation_error(error), operation=operation.name) from None
