"""What ``PayCombat`` and ``AsyncPayCombat`` share besides the core: settings, look-ups and the resend rule."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, Generic, TypeVar

from ._config import DEFAULT_BASE_URL, ENV_BASE_URL, ENV_SIGNATURE_KEY, ENV_TOKEN, ClientConfig, Secret, read_env
from ._core import Exchange, RequestCore
from ._retry import RetryPolicy
from .catalog import CATALOG
from .errors import ConfigurationError, InvalidRequestError, PayCombatError

C = TypeVar("C", bound="BaseClient[Any]")
T = TypeVar("T")


class BaseClient(Generic[T]):
    """Settings (secrets hidden) and the shared core; a subclass starts its driver over a transport ``T``."""

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
        transport: T | None = None,
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
        self._core = RequestCore(self.config)
        self._start(transport)

    def _start(self, transport: T | None) -> None:
        """Set up the transport (the default one when None), the driver and the resources."""
        raise NotImplementedError

    @classmethod
    def from_env(cls: type[C], dotenv: str | Path | None = ".env", **options: Any) -> C:
        """A client from PAYCOMBAT_TOKEN, PAYCOMBAT_SIGNATURE_KEY and PAYCOMBAT_BASE_URL (or ``.env``)."""
        values = read_env(dotenv)
        return cls(values[ENV_TOKEN], values[ENV_SIGNATURE_KEY], values.get(ENV_BASE_URL) or DEFAULT_BASE_URL,
                   **options)

    @classmethod
    def like(cls: type[C], other: "BaseClient[Any]") -> C:
        """A client of this kind with ``other``'s settings (e.g. ``AsyncPayCombat.like(client)``)."""
        config = other.config
        return cls(config.token.reveal(), config.signature_key.reveal(), config.base_url, paths=config.paths,
                   timeout=config.timeout, retry=config.retry, auto_reference=config.auto_reference)

    def operation(self, name: str) -> Callable[..., Any]:
        """The bound method for a dotted catalog name (``"payouts.create"``)."""
        resource, _, method = name.partition(".")
        bound = getattr(getattr(self, resource, None), method, None)
        if getattr(bound, "operation", None) is not CATALOG.get(name):
            raise KeyError(f"unknown operation {name!r}")
        assert bound is not None
        return bound  # type: ignore[no-any-return]

    @staticmethod
    def _resendable(error: PayCombatError) -> Exchange:
        """The failed call's exchange, if sending it again cannot act twice; otherwise say why not."""
        exchange = getattr(error, "_exchange", None)
        if exchange is None:
            why = ("it was refused before anything was sent" if error.operation is None or isinstance(
                error, InvalidRequestError) else "re-sending could act twice: the call had no idempotency reference")
            raise InvalidRequestError(f"this error's call cannot be re-sent: {why}", operation=error.operation)
        assert isinstance(exchange, Exchange)
        return exchange

    def __repr__(self) -> str:
        return f"{type(self).__name__}(base_url={self.config.base_url!r}, token=<hidden>, signature_key=<hidden>)"

    __str__ = __repr__
