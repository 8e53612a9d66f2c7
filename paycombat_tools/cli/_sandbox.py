"""``paycombat sandbox serve``: the standalone sandbox, printing its URL and credentials."""

from __future__ import annotations

import click

from ._common import CliError, stop_on_signals


@click.group()
def sandbox() -> None:
    """Run a local PayCombat sandbox (its control plane is under /_sandbox/)."""


@sandbox.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", type=click.IntRange(0, 65535), default=8080, show_default=True,
              help="Port (0 picks a free one).")
@click.option("--db", default=":memory:", show_default=True, help="SQLite file to keep state in.")
@click.option("--seed", type=int, default=None, help="Seed for reproducible ids and credentials.")
@click.option("--demo", is_flag=True, help="Fill a new database with the demo data set.")
@click.option("--notification-url", default=None, help="Where webhooks go when a record names no webhook_url.")
def serve(host: str, port: int, db: str, seed: int | None, demo: bool, notification_url: str | None) -> None:
    """Serve the sandbox until Ctrl-C; prints PAYCOMBAT_BASE_URL, PAYCOMBAT_TOKEN, PAYCOMBAT_SIGNATURE_KEY."""
    try:
        from ..sandbox.__main__ import serve as serve_sandbox
    except ImportError as error:
        raise CliError(f"the sandbox needs the sandbox extra ({error.name} is missing): "
                       "pip install 'paycombat-tools[cli,sandbox]'") from None
    if port:
        _check_free(host, port)
    stop_on_signals()
    serve_sandbox(host=host, port=port, db=db, seed=seed, demo=demo, notification_url=notification_url,
                  echo=lambda line: click.echo(line))


def _check_free(host: str, port: int) -> None:
    """Refuse a port in use in one line (werkzeug would print two and exit by itself)."""
    import socket

    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the server binds
        try:
            probe.bind((host, port))
        except OSError as error:
            raise CliError(f"cannot listen on {host}:{port}: {error.strerror or error}") from None
