"""``paycombat trigger EVENT``: drive one outcome in a sandbox (through its control plane) and print the ids."""

from __future__ import annotations

import json

import click

from .._config import ENV_BASE_URL, ENV_TOKEN
from ..sandbox_control import TRIGGER_EVENTS, SandboxControl
from ._common import CliError, console, is_real_api, settings


@click.command()
@click.argument("event", type=click.Choice(TRIGGER_EVENTS))
@click.option("--amount", default=None, help="Amount as a decimal, e.g. 40.00 (default: 40 for payouts, 100 for "
                                             "payins, in the currency's minor unit).")
@click.option("--currency", default=None, help="ISO 4217 code (default AUD; KRW for va.registered).")
@click.option("--webhook-url", default=None, help="Send this outcome's webhooks here instead of to the "
                                                  "sandbox's notification URL.")
@click.option("--json", "as_json", is_flag=True, help="Print the control plane's answer as JSON.")
def trigger(event: str, amount: str | None, currency: str | None, webhook_url: str | None, as_json: bool) -> None:
    """Create what EVENT needs in the sandbox, drive it to that outcome, and print the ids.

    The webhooks go to the sandbox's notification URL (run `paycombat listen` first) unless
    --webhook-url says otherwise. Reads PAYCOMBAT_BASE_URL and PAYCOMBAT_TOKEN from the environment.
    """
    values = settings()
    if is_real_api(values[ENV_BASE_URL]):
        raise CliError(f"{ENV_BASE_URL} is the real API: trigger drives a sandbox's control plane "
                       "(paycombat sandbox serve prints a sandbox's URL)")
    with SandboxControl(values[ENV_BASE_URL], values[ENV_TOKEN]) as control:
        triggered = control.trigger(event, amount=amount, currency=currency, webhook_url=webhook_url)
    if as_json:
        click.echo(json.dumps(triggered.model_dump(mode="json"), ensure_ascii=False))
        return
    console.print(f"Triggered {triggered.event}")
    for name, value in triggered.ids.items():
        console.print(f"  {name}={value}")
    if triggered.webhooks:
        console.print(f"  webhooks: {', '.join(triggered.webhooks)} -> {triggered.webhook_url}")
    else:
        console.print("  no webhook sent: the sandbox has no notification URL (run `paycombat listen`, "
                      "or pass --webhook-url)")
