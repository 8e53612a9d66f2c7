"""``paycombat listen --forward-to URL``: receive webhooks, verify each, forward the exact bytes to a local app.

Against a sandbox it also makes itself the sandbox's notification URL (and puts the old one back on
exit), so every event a record doesn't send elsewhere comes here.
"""

from __future__ import annotations

import threading
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import click
import requests
from rich.markup import escape

from .._config import ENV_BASE_URL, ENV_SIGNATURE_KEY, ENV_TOKEN
from ..errors import PayCombatError
from ..redaction import redact
from ..webhooks import SIGNATURE_HEADER, parse_webhook, verify_webhook
from ._common import CliError, console, is_real_api, settings, stop_on_signals

#: Headers that describe one hop, not the webhook: never forwarded (RFC 9110 section 7.6.1).
HOP_BY_HOP = frozenset({"host", "connection", "keep-alive", "transfer-encoding", "te", "trailer", "upgrade",
                        "proxy-connection", "proxy-authenticate", "proxy-authorization"})
#: How much of the app's answer a line shows.
ANSWER_SHOWN = 120


class Forwarder:
    """A loopback receiver: each POST is verified, forwarded byte for byte, and the app's answer sent back."""

    def __init__(self, forward_to: str, signature_key: str, *, host: str, port: int, timeout: float) -> None:
        self.forward_to = forward_to
        self._key = signature_key
        self.timeout = timeout
        self._session = requests.Session()
        self._print_lock = threading.Lock()
        self._server = ThreadingHTTPServer((host, port), self._handler_class())
        self._server.daemon_threads = True
        self.url = f"http://{host}:{self._server.server_port}/webhooks"

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        forwarder = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 (http.server's name)
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                status, headers, answer = forwarder.receive(body, list(self.headers.items()))
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def log_message(self, *args: Any) -> None:
                pass

        return Handler

    def receive(self, body: bytes, headers: list[tuple[str, str]]) -> tuple[int, dict[str, str], bytes]:
        """Verify, forward, and return what to answer the sender: the app's status, type and body."""
        signature = next((value for name, value in headers if name.lower() == SIGNATURE_HEADER.lower()), None)
        what = _describe(body)
        if not verify_webhook(body, signature, self._key):
            self._line(f"{what}  [red]signature does not verify: not forwarded[/red] -> 401")
            return 401, {"Content-Type": "text/plain"}, b"signature does not verify"
        forwarded = {name: value for name, value in headers if name.lower() not in HOP_BY_HOP | {"content-length"}}
        try:
            response = self._session.post(self.forward_to, data=body, headers=forwarded, timeout=self.timeout,
                                          allow_redirects=False)
        except requests.RequestException as error:
            self._line(f"{what}  signature ok -> [red]{self.forward_to} did not answer ({type(error).__name__})[/red]")
            return 502, {"Content-Type": "text/plain"}, b"the forwarded-to app did not answer"
        shown = escape(" ".join(redact(response.text[:ANSWER_SHOWN]).split()))
        colour = "green" if response.ok else "red"
        self._line(f"{what}  signature ok -> [{colour}]{response.status_code} {response.reason}[/{colour}]"
                   + (f" {shown}" if shown else ""))
        content_type = response.headers.get("Content-Type")
        return response.status_code, ({"Content-Type": content_type} if content_type else {}), response.content

    def _line(self, text: str) -> None:
        with self._print_lock:
            console.print(f"{datetime.now():%H:%M:%S}  {text}", markup=True)

    def serve_forever(self) -> None:
        self._server.serve_forever(poll_interval=0.1)

    def close(self) -> None:
        self._server.server_close()
        self._session.close()


def _describe(body: bytes) -> str:
    """``PAYOUT SUCCESS payout 6a4a…``: the event and its record, from the body."""
    try:
        event = parse_webhook(body)
    except PayCombatError:
        return "unrecognised webhook"
    kind = getattr(event, "type", None) or "VA"
    status = getattr(event, "status", "")
    label = {"PAYIN": "payin", "PAYOUT": "payout"}.get(kind, "virtual account")
    return escape(f"{kind} {status}  {label} {getattr(event, 'id', '?')}")


@click.command()
@click.option("--forward-to", required=True, metavar="URL", help="Your app's webhook endpoint, e.g. "
              "http://127.0.0.1:3000/webhooks.")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to receive webhooks on.")
@click.option("--port", type=click.IntRange(0, 65535), default=0, show_default=True,
              help="Port to receive on (0 picks a free one).")
@click.option("--register/--no-register", default=None,
              help="Make this listener the sandbox's notification URL while it runs (default: yes, unless "
                   "PAYCOMBAT_BASE_URL is the real API).")
@click.option("--timeout", type=click.FloatRange(min=0.1), default=30.0, show_default=True,
              help="Seconds to wait for your app's answer.")
def listen(forward_to: str, host: str, port: int, register: bool | None, timeout: float) -> None:
    """Receive PayCombat webhooks, verify each X-Signature, forward the exact bytes and headers to URL.

    Prints one line per event with your app's answer, and answers the sender with it (so a failing app
    sees the sandbox's retries). Records that name their own webhook_url still send there. Reads
    PAYCOMBAT_SIGNATURE_KEY (and PAYCOMBAT_BASE_URL / PAYCOMBAT_TOKEN to register) from the environment.
    """
    if not forward_to.startswith(("http://", "https://")):
        raise click.BadParameter("must be an http:// or https:// URL", param_hint="--forward-to")
    values = settings()
    forwarder = Forwarder(forward_to, values[ENV_SIGNATURE_KEY], host=host, port=port, timeout=timeout)
    base_url = values[ENV_BASE_URL]
    control = None
    previous: str | None = None
    if register if register is not None else not is_real_api(base_url):
        from ..sandbox_control import SandboxControl

        control = SandboxControl(base_url, values[ENV_TOKEN])
        try:
            previous = control.notification_url()
            control.set_notification_url(forwarder.url)
        except PayCombatError as error:
            forwarder.close()
            raise CliError(f"could not register with the sandbox at {base_url}: {error} "
                           "(use --no-register to only listen)") from None
    console.print(f"Ready: listening on {forwarder.url}, forwarding verified webhooks to {forward_to}")
    if control is not None:
        console.print(f"The sandbox at {base_url} now sends its webhooks here (notification URL was: "
                      f"{previous or 'none'}).")
    else:
        console.print("Point your PayCombat webhook URL here (through a tunnel if PayCombat cannot reach it).")
    console.print("Press Ctrl-C to stop.")
    stop_on_signals()
    try:
        forwarder.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        forwarder.close()
        if control is not None:
            try:
                control.set_notification_url(previous)
            except PayCombatError as error:
                console.print(f"could not restore the sandbox's notification URL: {error}")
            control.close()
