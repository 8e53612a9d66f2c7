"""Client settings; the token and signature key are wrapped so they never print."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from ._retry import RetryPolicy
from .errors import ConfigurationError

DEFAULT_BASE_URL = "https://api.paycombat.com"
ENV_TOKEN = "PAYCOMBAT_TOKEN"
ENV_SIGNATURE_KEY = "PAYCOMBAT_SIGNATURE_KEY"
ENV_BASE_URL = "PAYCOMBAT_BASE_URL"


class Secret:
    """A credential that shows as ``'********'`` in reprs, logs and tracebacks."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        if not isinstance(value, str) or not value:
            raise ConfigurationError("credentials must be non-empty strings")
        self._value = value

    def reveal(self) -> str:
        return self._value

    def __repr__(self) -> str:
        return "Secret('********')"

    __str__ = __repr__

    def __reduce__(self) -> str:
        raise TypeError("Secret values are not picklable")


@dataclass(frozen=True, repr=False)
class ClientConfig:
    """Everything a client needs to reach one PayCombat environment."""

    token: Secret
    signature_key: Secret
    base_url: str = DEFAULT_BASE_URL
    timeout: float = 30.0
    retry: RetryPolicy = field(default_factory=RetryPolicy)
    paths: Mapping[str, str] = field(default_factory=dict)
    auto_reference: bool = True

    def __repr__(self) -> str:
        return (
            f"ClientConfig(base_url={self.base_url!r}, token=<hidden>, signature_key=<hidden>, "
            f"timeout={self.timeout!r}, retry={self.retry!r}, paths={dict(self.paths)!r})"
        )


def read_env(dotenv: str | Path | None = ".env", environ: Mapping[str, str] | None = None) -> dict[str, str]:
    """Settings from the environment, falling back to a ``.env`` file; the environment wins."""
    values = _read_dotenv(Path(dotenv)) if dotenv else {}
    values.update({key: value for key, value in (environ or os.environ).items() if key.startswith("PAYCOMBAT_")})
    missing = [name for name in (ENV_TOKEN, ENV_SIGNATURE_KEY) if not values.get(name)]
    if missing:
        raise ConfigurationError(
            f"missing {' and '.join(missing)}: set the environment variable or add it to {dotenv or '.env'}"
        )
    return values


def _read_dotenv(path: Path) -> dict[str, str]:
    if not path.is_file():
        return {}
    values: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        key, _, value = line.removeprefix("export ").partition("=")
        values[key.strip()] = value.strip().strip("'\"")
    return values
