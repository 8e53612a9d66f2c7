"""``paycombat call OPERATION [ARGS]``: any catalog operation through the signed client, the typed result
pretty-printed as JSON with secrets hidden."""

from __future__ import annotations

import difflib
import json
from pathlib import Path
from typing import IO, Any

import click

from .._config import ENV_BASE_URL, ENV_SIGNATURE_KEY, ENV_TOKEN
from ..catalog import CATALOG
from ..documents import PdfDocument
from ..pagination import Page
from ..redaction import HIDDEN, redact_value
from ..signing import parse_json
from ._common import CliError, console, settings


def _list_operations(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    if not value or ctx.resilient_parsing:
        return
    for name, operation in CATALOG.items():
        arguments = " ".join(f"<{argument}>" for argument in operation.positional)
        click.echo(f"{name:42} {operation.method:6} {arguments}".rstrip())
    ctx.exit(0)


@click.command()
@click.argument("operation")
@click.argument("arguments", nargs=-1, metavar="[ID]...")
@click.option("--json", "json_file", type=click.File("r", encoding="utf-8"), default=None, metavar="FILE",
              help="The fields as a JSON object ('-' reads stdin).")
@click.option("--field", "-f", "fields", multiple=True, metavar="NAME=VALUE",
              help="One field; repeatable. NAME=text, NAME:=JSON (numbers, lists, objects), dotted names nest "
                   "(individual.first_name=Ada). Applied over --json.")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Where to save a PDF answer (the memo operations).")
@click.option("--yes", is_flag=True, help="Allow a money-moving operation against a live (non-sandbox) token.")
@click.option("--list", "list_operations", is_flag=True, expose_value=False, is_eager=True,
              callback=_list_operations, help="List every operation with its positional arguments, then exit.")
def call(operation: str, arguments: tuple[str, ...], json_file: IO[str] | None, fields: tuple[str, ...],
         output: Path | None, yes: bool) -> None:
    """Call OPERATION (a catalog name such as payouts.retrieve) and print its typed result.

    ARGS are the operation's ids in order (`paycombat call --list` shows them). Uses PAYCOMBAT_BASE_URL,
    PAYCOMBAT_TOKEN and PAYCOMBAT_SIGNATURE_KEY from the environment (or .env): a sandbox or the real API.
    """
    if operation not in CATALOG:
        close = difflib.get_close_matches(operation, CATALOG, n=3)
        raise CliError(f"unknown operation {operation!r}" + (f"; did you mean {', '.join(close)}?" if close else
                                                             "; `paycombat call --list` shows them all"))
    spec = CATALOG[operation]
    body = _fields(json_file, fields)
    values = settings()
    token, key = values[ENV_TOKEN], values[ENV_SIGNATURE_KEY]
    if spec.moves_money and not token.startswith("snd_") and not yes:
        raise CliError(f"{operation} moves money and PAYCOMBAT_TOKEN is not a sandbox token (snd_...): "
                       "check the fields, then add --yes")
    from .._client import PayCombat

    with PayCombat(token, key, values[ENV_BASE_URL]) as client:
        result = client.operation(operation)(*arguments, **body)
    if isinstance(result, PdfDocument):
        if output is None:
            raise CliError(f"{operation} answers with a PDF ({len(result)} bytes): pass --output FILE to save it")
        result.save(output)
        console.print(f"saved {len(result)} bytes to {output}")
        return
    shown = _hide(redact_value(_plain(result)), (token, key))
    console.print_json(json.dumps(shown, ensure_ascii=False), indent=2, highlight=False)


def _fields(json_file: IO[str] | None, fields: tuple[str, ...]) -> dict[str, Any]:
    """--json's object with every --field applied over it."""
    body: dict[str, Any] = {}
    if json_file is not None:
        try:
            loaded = parse_json(json_file.read())
        except ValueError as error:
            raise click.BadParameter(f"not JSON: {error}", param_hint="--json") from None
        if not isinstance(loaded, dict):
            raise click.BadParameter("must hold a JSON object", param_hint="--json")
        body = loaded
    for field in fields:
        name, is_json, text = _split_field(field)
        if is_json:
            try:
                value: Any = parse_json(text)
            except ValueError as error:
                raise click.BadParameter(f"{name}: not JSON ({error})", param_hint="--field") from None
        else:
            value = text
        target = body
        *parents, last = name.split(".")
        for parent in parents:
            child = target.setdefault(parent, {})
            if not isinstance(child, dict):
                raise click.BadParameter(f"{name}: {parent} is not an object", param_hint="--field")
            target = child
        target[last] = value
    return body


def _split_field(field: str) -> tuple[str, bool, str]:
    """``name=text`` or ``name:=json``."""
    name, sep, text = field.partition("=")
    if not sep or not name.rstrip(":"):
        raise click.BadParameter(f"{field!r} is not NAME=VALUE", param_hint="--field")
    if name.endswith(":"):
        return name[:-1], True, text
    return name, False, text


def _plain(result: Any) -> Any:
    """The typed result as JSON-ready data: models dumped, a page with its position."""
    if isinstance(result, Page):
        return {"page": result.page, "total": result.total, "last_page": result.last_page,
                "items": [_plain(item) for item in result.items]}
    if isinstance(result, list):
        return [_plain(item) for item in result]
    if hasattr(result, "model_dump"):
        return result.model_dump(mode="json", exclude_none=True)
    return result


def _hide(value: Any, secrets: tuple[str, ...]) -> Any:
    """``value`` with every credential that appears verbatim replaced by ``<hidden>``."""
    if isinstance(value, str):
        for secret in secrets:
            value = value.replace(secret, HIDDEN)
        return value
    if isinstance(value, dict):
        return {key: _hide(item, secrets) for key, item in value.items()}
    if isinstance(value, list):
        return [_hide(item, secrets) for item in value]
    return value
