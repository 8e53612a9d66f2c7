"""``PayCombat``: the client, with one attribute per resource generated from the catalog."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import limits
from ._config import DEFAULT_BASE_URL, ENV_BASE_URL, ENV_SIGNATURE_KEY, ENV_TOKEN, ClientConfig, Secret, read_env
from ._requester import Extras, Requester, validate_arguments
from ._retry import RetryPolicy
from ._transport import RequestsTransport, Transport
from .catalog import CATALOG, Operation, resources
from .errors import ConfigurationError, InvalidRequestError, PayCombatError

if TYPE_CHECKING:
    from .sandbox import Sandbox


class BoundOperation:
    """One operation bound to a client: call it with path parameters and body/query fields."""

    def __init__(self, requester: Requester, operation: Operation) -> None:
        self._requester = requester
        self.operation = operation
        self.__doc__ = (f"{operation.summary}\n\n{operation.method} {operation.path} ({operation.confidence}: "
                        f"{operation.source})" + ("\n\nSandbox only: the real API may not offer it."
                                                  if operation.sandbox_only else ""))

    def __call__(self, *args: Any, request: Any = None, extra_body: Mapping[str, Any] | None = None,
                 extra_query: Mapping[str, Any] | None = None, extra_headers: Mapping[str, str] | None = None,
                 **fields: Any) -> Any:
        if request is not None:
            if fields:
                raise InvalidRequestError("pass either request= or fields, not both", operation=self.operation.name)
            fields = request.model_dump(exclude_none=True) if hasattr(request, "model_dump") else dict(request)
        try:
            path_params = self._positional(args, fields)
            payload = validate_arguments(self.operation, fields)
            extras = Extras(dict(extra_body or {}), {k: str(v) for k, v in (extra_query or {}).items()},
                            dict(extra_headers or {}))
            known = sorted(set(extras.body) & set(payload.model_fields_set if payload is not None else ()))
            if known:
                raise InvalidRequestError(f"{', '.join(known)} given twice (as a field and in extra_body)",
                                          operation=self.operation.name)
        except InvalidRequestError as error:  # nothing was sent; still name the caller's reference
            field = self.operation.idempotency_field
            given = fields.get(field) if field else None
            if isinstance(given, (str, int)) and len(str(given)) <= limits.REFERENCE:
                error.with_reference(field, given, outcome_unknown=False, resend=None)
            raise
        return self._requester.call(self.operation, path_params, payload, extras)

    def _positional(self, args: tuple[Any, ...], fields: dict[str, Any]) -> dict[str, str]:
        """Path parameters (returned) and positional body fields (moved into ``fields``), checked."""
        names = self.operation.positional
        if len(args) > len(names):
            raise InvalidRequestError(
                f"{self.operation.name} takes {len(names)} positional argument(s) ({', '.join(names) or 'none'})",
                operation=self.operation.name,
            )
        values = dict(zip(names, args))
        twice = sorted(set(values) & set(fields))
        if twice:
            raise InvalidRequestError(f"{', '.join(twice)} given twice (by position and by name)",
                                      operation=self.operation.name)
        for name in names[len(args):]:
            if name in fields:
                values[name] = fields.pop(name)
        for name in names:
            value = values.get(name)
            if not isinstance(value, str) or not value.strip():
                raise InvalidRequestError(f"{name} is required and must be a non-empty string",
                                          operation=self.operation.name)
        for name in self.operation.body_args:
            fields[name] = values.pop(name)
        return values

    def __repr__(self) -> str:
        return f"<{self.operation.name}: {self.operation.method} {self._requester.path_for(self.operation)}>"


class Resource:
    """A group of operations, e.g. ``client.payouts`` with ``.create``, ``.retrieve``, ..."""

    def __init__(self, name: str, operations: list[BoundOperation]) -> None:
        self._name = name
        for bound in operations:
            setattr(self, bound.operation.method_name, bound)

    def __repr__(self) -> str:
        methods = ", ".join(name for name in vars(self) if not name.startswith("_"))
        return f"<{self._name}: {methods}>"


class PayCombat:
    """A signed PayCombat client: ``client.<resource>.<operation>(...)`` for every catalog operation."""

    master_data: Any
    payout_methods: Any
    payin_methods: Any
    beneficiaries: Any
    payins: Any
    payouts: Any
    checkouts: Any
    transactions: Any
    wallets: Any
    customers: Any
    payment_methods: Any
    merchant: Any
    refunds: Any

    def __init__(
        self,
        token: str,
        signature_key: str,
        base_url: str = DEFAULT_BASE_URL,
        *,
        paths: Mapping[str, str] | None = None,
        timeout: float = 30.0,
        max_retries: int = 2,
        retry: RetryPolicy | None = None,
        auto_reference: bool = True,
        transport: Transport | None = None,
    ) -> None:
        unknown = sorted(set(paths or {}) - set(CATALOG))
        if unknown:
            raise ConfigurationError(f"paths overrides name unknown operations: {', '.join(unknown)}")
        self.config = ClientConfig(
            token=Secret(token),
            signature_key=Secret(signature_key),
            base_url=base_url.rstrip("/"),
            timeout=timeout,
            retry=retry or RetryPolicy(max_retries=max_retries),
            paths=dict(paths or {}),
            auto_reference=auto_reference,
        )
        self._transport = transport or RequestsTransport()
        self._requester = Requester(self.config, self._transport)
        for name, operations in resources().items():
            setattr(self, name, Resource(name, [BoundOperation(self._requester, op) for op in operations]))

    @classmethod
    def from_env(cls, dotenv: str | Path | None = ".env", **options: Any) -> "PayCombat":
        """A client from PAYCOMBAT_TOKEN, PAYCOMBAT_SIGNATURE_KEY and PAYCOMBAT_BASE_URL (or ``.env``)."""
        values = read_env(dotenv)
        return cls(values[ENV_TOKEN], values[ENV_SIGNATURE_KEY], values.get(ENV_BASE_URL) or DEFAULT_BASE_URL,
                   **options)

    @classmethod
    def sandbox(cls, **options: Any) -> "PayCombat":
        """A client wired to this process's embedded sandbox (started on first use)."""
        from .sandbox import shared_sandbox

        return shared_sandbox().client(**options)

    def operation(self, name: str) -> BoundOperation:
        """The bound operation for a dotted catalog name (``"payouts.create"``)."""
        resource, _, method = name.partition(".")
        bound = getattr(getattr(self, resource, None), method, None)
        if not isinstance(bound, BoundOperation):
            raise KeyError(f"unknown operation {name!r}")
        return bound

    def resend(self, error: PayCombatError) -> Any:
        """Send the failed call's identical signed bytes again and return its typed result.

        Safe where the call repeats harmlessly: it carried an idempotency reference (``order_id`` /
        ``organization_reference_id``, filled in automatically), or it is a read, a delete or a PATCH
        that moves no money. After a :class:`NetworkError` whose outcome is unknown this is how to
        finish the call without paying twice.
        """
        resend = getattr(error, "_resend", None)
        if resend is None:
            why = ("it was refused before anything was sent" if error.operation is None or isinstance(
                error, InvalidRequestError) else "re-sending could act twice: the call had no idempotency reference")
            raise InvalidRequestError(f"this error's call cannot be re-sent: {why}", operation=error.operation)
        return resend()

    def close(self) -> None:
        self._transport.close()

    def __enter__(self) -> "PayCombat":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"PayCombat(base_url={self.config.base_url!r}, token=<hidden>, signature_key=<hidden>)"

    __str__ = __repr__
