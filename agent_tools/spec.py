"""A tool spec: name, description for a model, closed argument schema, and what the tool does."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from paycombat_tools.catalog import CATALOG

from .guard import ConfirmationGuard
from .schemas import ToolArgs

if TYPE_CHECKING:
    from paycombat_tools import PayCombat

__all__ = ["GUARDED_RISKS", "ReadOnlyClient", "ToolContext", "ToolSpec"]

GUARDED_RISKS = ("money", "destructive")


class ReadOnlyClient:
    """The client as look-up tools see it: only operations whose catalog risk is ``read``."""

    def __init__(self, client: "PayCombat") -> None:
        self._client = client

    def call(self, operation: str, *path: str, **fields: Any) -> Any:
        entry = CATALOG[operation]
        if entry.risk != "read":
            raise PermissionError(f"{operation} is a {entry.risk} operation; look-up tools may only read")
        return self._invoke(operation, path, fields)

    def _invoke(self, operation: str, path: tuple[str, ...], fields: dict[str, Any]) -> Any:
        return self._client.operation(operation)(*path, **fields)


@dataclass(frozen=True)
class ToolContext:
    reader: ReadOnlyClient
    guard: ConfirmationGuard | None


@dataclass(frozen=True)
class ToolSpec:
    """One tool: a name and description for a model, a closed argument schema, and what it does.

    ``operation`` names the catalog operation a guarded tool proposes; ``prepare`` turns the model's
    arguments into that operation's arguments (and facts for the summary), reading if it must.
    Look-ups set ``run`` instead.
    """

    name: str
    description: str
    args_schema: type[ToolArgs]
    run: Callable[[ToolContext, Any], dict[str, Any]] | None = None
    operation: str | None = None
    prepare: Callable[[ReadOnlyClient, Any], tuple[dict[str, Any], dict[str, Any]]] | None = None
    needs_guard: bool = False

    @property
    def risk(self) -> str:
        return CATALOG[self.operation].risk if self.operation else "read"

    @property
    def guarded(self) -> bool:
        return self.risk in GUARDED_RISKS

    def __post_init__(self) -> None:
        if self.guarded != (self.prepare is not None) or (self.run is None) != self.guarded:
            raise ValueError(f"tool {self.name}: a {self.risk} operation must be "
                             f"{'proposed through the guard' if self.guarded else 'a look-up'}")
