"""The environment's proxy, NO_PROXY and CA settings are read once, when the client is built, not per request.

``requests`` with ``trust_env`` re-reads them on every call (a quarter of a millisecond here); the
client resolves them for its base URL at construction and keeps honouring them. Real loopback
proxies and a real TLS server; the variables are changed after construction to show which reading won.
"""

from __future__ import annotations

import shutil
import socket
import ssl
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from paycombat_tools import NetworkError, PayCombat, RetryPolicy
from paycombat_tools._transport import RequestsTransport

from .fixtures import SIGNATURE_KEY, TOKEN, recording_server  # noqa: F401
from .recording_server import RecordingServer

NO_RETRY = RetryPolicy(max_retries=0)
PROXY_VARIABLES = ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY", "http_proxy", "https_proxy",
                   "all_proxy", "no_proxy", "REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE")


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    for name in PROXY_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


class ConnectProxy:
    """A loopback HTTPS proxy that records each ``CONNECT`` line and refuses the tunnel (403)."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self._listener.getsockname()[1]}"
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while True:
            try:
                connection, _ = self._listener.accept()
            except OSError:
                return
            with connection:
                head = b""
                while b"\r\n\r\n" not in head:
                    chunk = connection.recv(4096)
                    if not chunk:
                        break
                    head += chunk
                self.lines.append(head.split(b"\r\n", 1)[0].decode("latin-1"))
                connection.sendall(b"HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")

    def close(self) -> None:
        self._listener.close()


@pytest.fixture
def connect_proxy() -> Iterator[ConnectProxy]:
    proxy = ConnectProxy()
    yield proxy
    proxy.close()


def test_a_client_built_with_http_proxy_set_keeps_sending_through_it(
        clean_env: pytest.MonkeyPatch, recording_server: RecordingServer) -> None:
    clean_env.setenv("HTTP_PROXY", recording_server.url)  # the recording server plays the forward proxy
    client = PayCombat(TOKEN, SIGNATURE_KEY, "http://api.paycombat.invalid", retry=NO_RETRY)
    clean_env.delenv("HTTP_PROXY")  # read at construction: removing it later changes nothing
    recording_server.queue_envelope(None)

    client.payouts.retrieve("po_1")

    assert recording_server.last.target.startswith("http://api.paycombat.invalid/api/v1/")
    client.close()


def test_a_client_built_with_https_proxy_set_tunnels_through_it(
        clean_env: pytest.MonkeyPatch, connect_proxy: ConnectProxy) -> None:
    clean_env.setenv("HTTPS_PROXY", connect_proxy.url)
    client = PayCombat(TOKEN, SIGNATURE_KEY, "https://api.paycombat.invalid", retry=NO_RETRY)

    with pytest.raises(NetworkError):  # the proxy refuses the tunnel
        client.payouts.retrieve("po_1")

    assert [line.rsplit(" ", 1)[0] for line in connect_proxy.lines] == ["CONNECT api.paycombat.invalid:443"]
    client.close()


def test_no_proxy_is_respected_for_the_base_url(clean_env: pytest.MonkeyPatch, connect_proxy: ConnectProxy,
                                                recording_server: RecordingServer) -> None:
    clean_env.setenv("HTTP_PROXY", connect_proxy.url)
    clean_env.setenv("NO_PROXY", "127.0.0.1")
    client = PayCombat(TOKEN, SIGNATURE_KEY, recording_server.url, retry=NO_RETRY)
    recording_server.queue_envelope(None)

    client.payouts.retrieve("po_1")

    assert recording_server.last.target.startswith("/api/v1/")  # direct, not the absolute proxy form
    assert connect_proxy.lines == []
    client.close()


def test_a_proxy_set_after_the_client_was_built_is_not_picked_up(
        clean_env: pytest.MonkeyPatch, connect_proxy: ConnectProxy, recording_server: RecordingServer) -> None:
    client = PayCombat(TOKEN, SIGNATURE_KEY, recording_server.url, retry=NO_RETRY)
    clean_env.setenv("HTTP_PROXY", connect_proxy.url)
    recording_server.queue_envelope(None)

    client.payouts.retrieve("po_1")

    assert recording_server.last.target.startswith("/api/v1/")
    assert connect_proxy.lines == []
    client.close()


def test_a_session_that_does_not_trust_the_environment_ignores_the_proxy(
        clean_env: pytest.MonkeyPatch, connect_proxy: ConnectProxy, recording_server: RecordingServer) -> None:
    clean_env.setenv("HTTP_PROXY", connect_proxy.url)
    session = requests.Session()
    session.trust_env = False
    client = PayCombat(TOKEN, SIGNATURE_KEY, recording_server.url, retry=NO_RETRY,
                       transport=RequestsTransport(session, base_url=recording_server.url))
    recording_server.queue_envelope(None)

    client.payouts.retrieve("po_1")

    assert connect_proxy.lines == []
    assert recording_server.last.target.startswith("/api/v1/")
    client.close()


def test_the_session_reads_nothing_from_the_environment_per_request(clean_env: pytest.MonkeyPatch,
                                                                   recording_server: RecordingServer) -> None:
    clean_env.setenv("HTTP_PROXY", "http://127.0.0.1:9")
    transport = RequestsTransport(base_url="http://api.paycombat.invalid")

    assert transport.trust_env is True and transport.session.trust_env is False
    assert transport.environment_for("http://api.paycombat.invalid/any/path").proxies["http"] == "http://127.0.0.1:9"
    transport.close()


# -- the CA bundle: a real TLS server with its own self-signed certificate -------------------------------

@pytest.fixture
def tls_server(tmp_path: Path) -> Iterator[tuple[RecordingServer, Path]]:
    """The recording server behind TLS, with a certificate for 127.0.0.1 only ``cert.pem`` vouches for."""
    if shutil.which("openssl") is None:
        pytest.skip("openssl is needed to make a test certificate")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
                    "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", str(key), "-out", str(cert)],
                   check=True, capture_output=True)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server = RecordingServer()
    server._server.socket = context.wrap_socket(server._server.socket, server_side=True)
    server.url = server.url.replace("http://", "https://")
    server.start()
    yield server, cert
    server.stop()


def test_requests_ca_bundle_set_at_construction_is_used(clean_env: pytest.MonkeyPatch,
                                                       tls_server: tuple[RecordingServer, Path]) -> None:
    server, cert = tls_server
    clean_env.setenv("REQUESTS_CA_BUNDLE", str(cert))
    client = PayCombat(TOKEN, SIGNATURE_KEY, server.url, retry=NO_RETRY)
    clean_env.delenv("REQUESTS_CA_BUNDLE")
    server.queue_envelope(None)

    client.payouts.retrieve("po_1")

    assert server.last.path.startswith("/api/v1/")
    client.close()


def test_a_ca_bundle_set_after_construction_is_not_picked_up(clean_env: pytest.MonkeyPatch,
                                                            tls_server: tuple[RecordingServer, Path]) -> None:
    server, cert = tls_server
    client = PayCombat(TOKEN, SIGNATURE_KEY, server.url, retry=NO_RETRY)
    clean_env.setenv("CURL_CA_BUNDLE", str(cert))

    with pytest.raises(NetworkError):  # the system store does not know the test certificate
        client.payouts.retrieve("po_1")
    client.close()
