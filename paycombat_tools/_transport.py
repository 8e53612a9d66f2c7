"""The seam between the client and the wire: one ``requests.Session`` by default."""

from __future__ import annotations

import http.client
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

import requests
import requests.utils
import urllib3.exceptions


_HIDDEN_HEADERS = frozenset({"x-token", "signature", "authorization"})


@dataclass(frozen=True)
class HttpRequest:
    method: str
    url: str
    headers: Mapping[str, str]
    body: bytes | None = None
    params: Mapping[str, str] = field(default_factory=dict)

    def __repr__(self) -> str:
        shown = {k: ("<hidden>" if k.lower() in _HIDDEN_HEADERS else v) for k, v in self.headers.items()}
        return f"HttpRequest({self.method} {self.url}, headers={shown}, body={len(self.body or b'')} bytes)"


@dataclass(frozen=True)
class HttpResponse:
    status: int
    headers: Mapping[str, str]
    content: bytes


class TransportError(Exception):
    """No (whole) answer came back; ``sent`` says whether the request may have reached the server.

    ``local`` means the HTTP library refused the request itself (a bad URL or header): nothing was
    sent and trying again cannot help.
    """

    def __init__(self, message: str, *, sent: bool, local: bool = False) -> None:
        super().__init__(message)
        self.sent = sent
        self.local = local


class Transport(Protocol):
    def send(self, request: HttpRequest, timeout: float) -> HttpResponse: ...

    def close(self) -> None: ...


@dataclass(frozen=True)
class EnvironmentSettings:
    """What ``requests`` would read from the environment for one origin on every request, read once."""

    proxies: dict[str, str]
    verify: str | None  # REQUESTS_CA_BUNDLE / CURL_CA_BUNDLE; None leaves the session's own ``verify``
    netrc_auth: tuple[str, str] | None


_NO_ENVIRONMENT = EnvironmentSettings({}, None, None)
_MAX_ORIGINS = 32


def environment_settings(url: str) -> EnvironmentSettings:
    """The proxies (``*_PROXY`` unless ``NO_PROXY`` covers the host), CA bundle and ``.netrc`` login for ``url``.

    The same rules ``requests.Session`` applies per request when ``trust_env`` is set.
    """
    return EnvironmentSettings(
        proxies=dict(requests.utils.get_environ_proxies(url)),
        verify=os.environ.get("REQUESTS_CA_BUNDLE") or os.environ.get("CURL_CA_BUNDLE") or None,
        netrc_auth=requests.utils.get_netrc_auth(url),
    )


def _origin(url: str) -> str:
    start = url.find("//") + 2
    end = url.find("/", start)
    return url if end < 0 else url[:end]


class RequestsTransport:
    """Keep-alive HTTP through one ``requests.Session``.

    The environment (proxies, ``NO_PROXY``, ``REQUESTS_CA_BUNDLE``/``CURL_CA_BUNDLE``, ``.netrc``) is
    read once per origin, at construction for ``base_url``, instead of on every request: the session's
    ``trust_env`` is honoured as it is now, then turned off and the resolved values passed with each
    request, with the precedence ``requests`` gives them.
    """

    def __init__(self, session: requests.Session | None = None, *, base_url: str | None = None) -> None:
        self.session = session or requests.Session()
        self.trust_env = self.session.trust_env
        self.session.trust_env = False
        self._environment: dict[str, EnvironmentSettings] = {}
        if base_url is not None:
            self.environment_for(base_url)

    def environment_for(self, url: str) -> EnvironmentSettings:
        """The environment's settings for ``url``'s origin, read on first use and kept."""
        origin = _origin(url)
        settings = self._environment.get(origin)
        if settings is None:
            if not self.trust_env:
                settings = _NO_ENVIRONMENT
            else:
                settings = environment_settings(origin + "/")
            if len(self._environment) >= _MAX_ORIGINS:
                self._environment.clear()
            self._environment[origin] = settings
        return settings

    def send(self, request: HttpRequest, timeout: float) -> HttpResponse:
        environment = self.environment_for(request.url)
        options: dict[str, Any] = {}  # only what is set: requests merges each given setting with the session's
        if environment.proxies:
            options["proxies"] = environment.proxies
        if environment.verify is not None:
            options["verify"] = environment.verify
        if environment.netrc_auth is not None and not self.session.auth:
            options["auth"] = environment.netrc_auth
        try:
            response = self.session.request(
                request.method,
                request.url,
                headers=dict(request.headers),
                data=request.body,
                params=dict(request.params) or None,
                timeout=timeout,
                allow_redirects=False,
                **options,
            )
        except requests.ConnectTimeout as error:
            raise TransportError(f"could not connect: {_reason(error)}", sent=False) from None
        except requests.ConnectionError as error:
            if _reason(error) == "ReadTimeoutError":  # the body stopped arriving
                raise TransportError("no whole answer in time: ReadTimeoutError", sent=True) from None
            raise TransportError(f"connection failed: {_reason(error)}", sent=_maybe_sent(error)) from None
        except requests.Timeout as error:
            raise TransportError(f"no answer in time: {_reason(error)}", sent=True) from None
        except (requests.exceptions.ChunkedEncodingError, requests.exceptions.ContentDecodingError) as error:
            raise TransportError(f"the answer was cut off or garbled: {_reason(error)}", sent=True) from None
        except _LOCAL_ERRORS as error:
            raise TransportError(f"the request could not be built: {error}", sent=False, local=True) from None
        except (requests.RequestException, urllib3.exceptions.HTTPError, http.client.HTTPException, OSError) as error:
            # anything else on the way: the request may have been sent, so it counts as unknown
            raise TransportError(f"the exchange failed: {_reason(error)}", sent=True) from None
        return HttpResponse(response.status_code, response.headers, response.content)

    def close(self) -> None:
        self.session.close()


#: What ``requests`` refuses before anything goes on the wire.
_LOCAL_ERRORS = (requests.exceptions.InvalidURL, requests.exceptions.MissingSchema, requests.exceptions.InvalidSchema,
                 requests.exceptions.InvalidHeader, requests.exceptions.URLRequired)


def _maybe_sent(error: requests.ConnectionError) -> bool:
    """A refused or unresolvable connection never carried the request."""
    cause = error.args[0] if error.args else None
    reason = getattr(cause, "reason", cause)
    return not isinstance(reason, urllib3.exceptions.NewConnectionError)


def _reason(error: Exception) -> str:
    cause = error.args[0] if error.args else error
    reason = getattr(cause, "reason", cause)
    return type(reason).__name__
