"""The sandbox's WSGI app: routes from the catalog, auth and signature checks, envelopes, faults."""

from __future__ import annotations

import logging
import re
import socket
import time
from collections.abc import Callable, Iterable
from typing import Any

from werkzeug.exceptions import HTTPException, MethodNotAllowed, NotFound, RequestEntityTooLarge
from werkzeug.routing import Map, Rule
from werkzeug.wrappers import Request, Response

from .. import limits
from ..catalog import CATALOG, Operation
from ..sandbox_control import PREFIX as CONTROL_PREFIX
from ..signing import canonical_json, parse_json, reserialise, sign
from . import _checkouts, _customers, _memo, _payins, _payouts, _reference  # noqa: F401  (register handlers)
from ._errors import ApiError
from ._faults import Faults
from ._ledger import Ledger
from ._pages import checkout_page
from ._payins import expire_due, settle_payin
from ._registry import HANDLERS, Context
from ._store import Store, iso
from ._webhooks import WebhookDispatcher, attempts

log = logging.getLogger("paycombat_tools.sandbox")
_LONE_SURROGATE = re.compile(r"\\ud[89a-f][0-9a-f]{2}")

#: Other spellings of a path the reference says the real API may use.
ALIASES = {
    "wallets.create": ["/api/v1/wallet/create"],
    "payouts.retrieve": ["/api/v1/payout/retrieve-payout/{payout_id}"],
}


def _rule(path: str) -> str:
    return path.replace("{", "<").replace("}", ">")


class SandboxApp:
    """Serves every catalog operation the way the real API does, plus the hosted checkout page."""

    def __init__(self, store: Store, ledger: Ledger, dispatcher: WebhookDispatcher, *, token: str,
                 signature_key: str, faults: Faults | None, base_url: Callable[[], str],
                 notification_url: str | None = None, openapi: Callable[[], dict[str, Any]] | None = None) -> None:
        self.store, self.ledger, self.dispatcher = store, ledger, dispatcher
        self._token, self._key = token, signature_key
        self.faults = faults or Faults()
        self._base_url = base_url
        self.notification_url = notification_url
        self._openapi = openapi
        #: the ``/_sandbox/`` control plane (``Sandbox`` plugs it in); None: no control routes
        self.control: Callable[[Request], Response] | None = None
        rules = [Rule(_rule(op.path), endpoint=op.name, methods=[op.method]) for op in CATALOG.values()]
        rules += [Rule(_rule(path), endpoint=name, methods=[CATALOG[name].method])
                  for name, paths in ALIASES.items() for path in paths]
        rules += [Rule("/checkout/", endpoint="page.checkout", methods=["GET"]),  # ?token=…&identifier=…
                  Rule("/checkout/pay", endpoint="page.pay", methods=["POST"]),
                  Rule("/openapi.json", endpoint="page.openapi", methods=["GET"]),
                  Rule("/sandbox/webhooks", endpoint="page.webhooks", methods=["GET"])]
        self.url_map = Map(rules, strict_slashes=False, merge_slashes=False)

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        request = Request(environ)
        response = self.handle(request)
        return response(environ, start_response)

    # -- dispatch ------------------------------------------------------------------------------------

    def handle(self, request: Request) -> Response:
        if self.control is not None and (request.path + "/").startswith(CONTROL_PREFIX + "/"):
            return self.control(request)
        try:
            endpoint, arguments = self.url_map.bind_to_environ(request.environ).match()
        except NotFound:
            return _envelope(404, f"No route for {request.method} {request.path}")
        except MethodNotAllowed:
            return _envelope(405, f"{request.method} is not allowed on {request.path}")
        except HTTPException as error:
            return _envelope(error.code or 400, error.description or "Bad request")
        path = {key: str(value) for key, value in arguments.items()}
        if endpoint.startswith("page."):
            return self._page(endpoint, path, request)
        operation = CATALOG[endpoint]
        ignored: list[str] = []
        try:
            fault = self._fault(operation)
            payload = self._admit(operation, request, ignored)
            message, data = self.execute(operation, path, payload)
        except ApiError as error:
            headers = {**(error.headers or {}), **_ignored_header(ignored)}
            return _envelope(error.status, error.message, errors=error.errors, headers=headers or None)
        except Exception:  # a sandbox bug: answer in the API's envelope, keep the traceback in the log
            log.exception("sandbox failed on %s", operation.name)
            return _envelope(500, f"Internal sandbox error in {operation.name}")
        if fault == "drop_after_commit":
            _drop_connection(request)
        if isinstance(data, bytes):
            return Response(data, 200, content_type="application/pdf",
                            headers={"Content-Disposition": f"attachment; filename={operation.resource}-memo.pdf"})
        if operation.envelope == "nested":
            data = self._finmo_envelope(data, message)
        return _envelope(200, "OK" if operation.envelope == "nested" else message, data=data,
                         headers=_ignored_header(ignored) or None)

    def _finmo_envelope(self, record: Any, message: str) -> dict[str, Any]:
        """Disable/delete answer Finmo's envelope inside ``data`` (EVIDENCE S5, S19)."""
        return {"request_id": f"req_{self.store.hex32()}", "request_time": iso(self.store.now()),
                "success": True, "status_code": 200, "status_text": "OK", "data": record}

    def context(self) -> Context:
        """A fresh request context: what a handler sees of the sandbox."""
        return Context(self.store, self.ledger, self._base_url(), self.notification_url, identifier=self._token)

    def execute(self, operation: Operation, path: dict[str, str], payload: Any) -> tuple[str, Any]:
        """Run one operation in one transaction; webhooks leave only after it commits."""
        ctx = self.context()
        with self.store.transaction():
            expire_due(ctx)
            result = HANDLERS[operation.name](ctx, path, payload)
        self.dispatcher.send(ctx.outbox)
        return result

    def call(self, name: str, path: dict[str, str] | None = None, **fields: Any) -> Any:
        """Run an operation in-process (no HTTP), validating fields like a request; returns ``data``."""
        operation = CATALOG[name]
        return self.execute(operation, path or {}, self._validate(operation, fields))[1]

    # -- admission: faults, auth, signature, validation ------------------------------------------------

    def _fault(self, operation: Operation) -> str | None:
        fault = self.faults.draw(operation.name)
        if self.faults.latency:
            time.sleep(self.faults.latency)
        if fault == "rate_limit":
            raise ApiError(429, "Too many requests, slow down",
                           headers={"Retry-After": f"{self.faults.retry_after:g}"})
        if fault == "error":
            raise ApiError(503, "Service temporarily unavailable (injected fault)")
        return fault

    def _admit(self, operation: Operation, request: Request, ignored: list[str]) -> Any:
        """Auth, signature and body checks, exactly as strict as the docs (and no stricter)."""
        token = request.headers.get("X-token")
        if token != self._token and not (token is None and operation.token == "optional"):
            raise ApiError(401, "Unauthenticated: missing or unknown X-token")
        raw = _read_body(request)
        signature = request.headers.get("signature")
        if operation.method == "GET" and not raw:
            if signature:
                self._check_signature(raw, signature)
            return self._validate(operation, request.args.to_dict(), ignored)
        if not raw and not operation.has_body:  # bodiless PATCH/DELETE: the docs' curl sends only X-token
            if signature:
                self._check_signature(raw, signature)
            return self._validate(operation, {}, ignored)
        if not signature and operation.signature == "required":
            raise ApiError(401, "Missing signature header: sign the JSON body with HMAC-SHA256 and your signature key")
        if not (request.mimetype == "application/json"):
            raise ApiError(406, "Content-Type must be application/json")
        try:
            body = parse_json(raw)
        except ValueError:
            raise ApiError(400, "Malformed JSON body") from None
        if not isinstance(body, dict):
            raise ApiError(400, "The JSON body must be an object")
        try:
            canonical = reserialise(raw)
        except ValueError:
            raise ApiError(400, "Malformed JSON body: numbers must be finite") from None
        if _LONE_SURROGATE.search(canonical.decode("utf-8")):
            raise ApiError(422, "Text fields must be valid Unicode (a lone surrogate escape was sent)")
        if signature:
            self._check_signature(canonical, signature, raw)
        return self._validate(operation, body, ignored)

    def _check_signature(self, canonical: bytes, signature: str, raw: bytes | None = None) -> None:
        """The signature must match JSON.stringify(JSON.parse(body)) or the exact bytes sent.

        Real integrations do both: the docs' snippet signs JSON.stringify(body); the public PHP
        gateway signs ``json_encode`` bytes, some of them the very bytes it sends.
        """
        import hmac

        given = signature.strip().lower()
        candidates = [canonical] if raw is None or raw == canonical else [canonical, raw]
        if not any(hmac.compare_digest(sign(candidate, self._key), given) for candidate in candidates):
            raise ApiError(401, "Invalid signature: expected HMAC-SHA256 of JSON.stringify(body) with your signature key")

    def _validate(self, operation: Operation, fields: dict[str, Any], ignored: list[str] | None = None) -> Any:
        """The request model, or the API's 422 naming each field.

        Fields the docs don't show are not refused (the real API's stance on them is not documented,
        and a client's ``extra_body`` must reach it): they are dropped and, over HTTP, named in the
        ``X-Sandbox-Ignored-Fields`` header. Typos are the client's to catch, before sending.
        """
        from pydantic import ValidationError

        from ..models._base import describe_validation_error

        model = operation.request_model
        if model is None:
            if ignored is not None:
                ignored += sorted(fields)
                return None
            if fields:
                raise ApiError(422, f"Unexpected fields: {', '.join(sorted(fields))}")
            return None
        try:
            return model.model_validate(fields)
        except ValidationError as error:
            issues = error.errors(include_url=False, include_input=False)
            unknown = [issue["loc"] for issue in issues if issue["type"] == "extra_forbidden"]
            trimmed = _without(fields, unknown) if ignored is not None and unknown else fields
            if trimmed != fields:  # dropped even when something else is wrong: the 422 names only real problems
                ignored += [".".join(map(str, loc)) for loc in unknown]  # type: ignore[operator]
                return self._validate(operation, trimmed, ignored)
            problems = [_problem(issue) for issue in issues]
            raise ApiError(422, describe_validation_error(error, client=False), errors=problems) from None

    # -- sandbox pages -------------------------------------------------------------------------------

    def _page(self, endpoint: str, path: dict[str, str], request: Request) -> Response:
        if endpoint == "page.openapi":
            return Response(canonical_json(self._openapi() if self._openapi else {}), 200,
                            content_type="application/json")
        if endpoint == "page.webhooks":
            if request.headers.get("X-token") != self._token:
                return _envelope(401, "Unauthenticated: missing or unknown X-token")
            return _envelope(200, "OK", data=attempts(self.store))
        try:
            token = request.args.get("token") or request.form.get("token") or ""
            checkout = self.store.get("checkout", token, label="Checkout")
            if endpoint == "page.checkout":
                return _html(checkout_page(checkout))
            return _html(self._pay(checkout, request))
        except ApiError as error:
            return _html(f"<!doctype html><p id='message'>{error.message}</p>", error.status)

    def _pay(self, checkout: dict[str, Any], request: Request) -> str:
        method = request.form.get("payin_method_name") or checkout.get("payin_method_name") or ""
        outcome = "FAILED" if request.form.get("outcome") == "FAILED" else "SUCCESS"
        ctx = self.context()
        with self.store.transaction():
            expire_due(ctx)
            chosen = _checkouts.choose_method(ctx, checkout["checkout_token"], method)
            settle_payin(ctx, self.store.get("payin", chosen["payin_id"]), outcome)
            checkout = self.store.get("checkout", chosen["id"])
        self.dispatcher.send(ctx.outbox)
        return checkout_page(checkout, message="Payment received." if outcome == "SUCCESS" else "Payment failed.")


def _read_body(request: Request) -> bytes:
    """The request body, refused with 413 beyond ``limits.MAX_BODY_BYTES`` (read no further than that)."""
    too_large = ApiError(413, f"Request body too large: at most {limits.MAX_BODY_BYTES} bytes (1 MiB) are accepted")
    if (request.content_length or 0) > limits.MAX_BODY_BYTES:
        raise too_large
    request.max_content_length = limits.MAX_BODY_BYTES
    try:
        return request.get_data()
    except RequestEntityTooLarge:
        raise too_large from None


_FIELD_PREFIX = re.compile(r"^([A-Za-z_][\w.]*): (.+)$", re.DOTALL)


def _problem(issue: Any) -> dict[str, str]:
    """One ``errors`` entry: a model-level rule ("amount: ... does not match the order") names its field too."""
    where = ".".join(map(str, issue["loc"]))
    message = issue["msg"].removeprefix("Value error, ")
    if not where and (named := _FIELD_PREFIX.match(message)):
        where, message = named.group(1), named.group(2)
    return {"field": where or "body", "message": message}


def _ignored_header(ignored: list[str]) -> dict[str, str]:
    """The sandbox's note of the body/query fields it dropped (the docs don't show them).

    Names are percent-encoded where HTTP headers cannot carry them (non-Latin-1, control
    characters, the ", " separator): an unknown name must never break the response.
    """
    from urllib.parse import quote

    names = [quote(name, safe="!#$&'()*+-./:;<=>?@[]^_`{|}~") for name in ignored]
    return {"X-Sandbox-Ignored-Fields": ", ".join(names)} if names else {}


def _without(fields: dict[str, Any], locations: list[tuple[Any, ...]]) -> dict[str, Any]:
    """A copy of the body without the fields at ``locations`` (pydantic error locations)."""
    import copy

    trimmed = copy.deepcopy(fields)
    for location in locations:
        parent: Any = trimmed
        for part in location[:-1]:
            if isinstance(parent, dict) and part in parent:
                parent = parent[part]
            elif isinstance(parent, list) and isinstance(part, int) and 0 <= part < len(parent):
                parent = parent[part]
            # else: a union member's tag in the location (pydantic), not a key of the body
        if isinstance(parent, dict):
            parent.pop(location[-1], None)
    return trimmed


def _envelope(status: int, message: str, *, data: Any = None, errors: list[dict[str, Any]] | None = None,
              headers: dict[str, str] | None = None) -> Response:
    body: dict[str, Any] = {"status": 200 <= status < 300, "message": message, "data": data}
    if errors:
        body["errors"] = errors
    return Response(canonical_json(body, exact=False), status, headers=headers, content_type="application/json")


def _html(text: str, status: int = 200) -> Response:
    return Response(text, status, content_type="text/html; charset=utf-8")


def _drop_connection(request: Request) -> None:
    """The fault "commit, then drop": the work is saved, the client never hears back."""
    sock = request.environ.get("werkzeug.socket")
    if sock is not None:
        try:
            sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
