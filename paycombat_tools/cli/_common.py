"""What every ``paycombat`` command shares: one-line errors, the console, settings from the environment."""

from __future__ import annotations

import os
import sqlite3
import sys
from collections.abc import Sequence
from typing import NoReturn

import click
from rich.console import Console

from .._config import DEFAULT_BASE_URL, ENV_BASE_URL, ENV_SIGNATURE_KEY, ENV_TOKEN, read_env
from ..errors import ConfigurationError, PayCombatError

#: Set to see a traceback instead of the one-line error.
ENV_DEBUG = "PAYCOMBAT_DEBUG"

console = Console(soft_wrap=True, highlight=False)


class CliError(click.ClickException):
    """A refusal the user can act on: printed as one line, exit code 1."""


def fail(message: str, code: int = 1) -> NoReturn:
    """``paycombat: error: <message>`` on stderr (one line), then exit ``code``."""
    text = " ".join(message.split())  # one line, whatever the message held
    click.echo(f"paycombat: error: {text}", err=True)
    sys.exit(code)


def run(command: click.Command, args: Sequence[str] | None = None, prog_name: str = "paycombat") -> NoReturn:
    """Run ``command``; every failure is one clear line on stderr and a non-zero exit (no tracebacks)."""
    try:
        result = command.main(args, prog_name=prog_name, standalone_mode=False)
    except click.exceptions.NoArgsIsHelpError as error:
        click.echo(error.ctx.get_help())
        sys.exit(2)
    except click.UsageError as error:
        where = f" (see '{error.ctx.command_path} --help')" if error.ctx is not None else ""
        fail(error.format_message() + where, 2)
    except click.ClickException as error:
        fail(error.format_message(), error.exit_code)
    except (click.Abort, KeyboardInterrupt):
        sys.exit(130)
    except PayCombatError as error:
        _debug()
        fail(str(error))
    except (OSError, sqlite3.Error) as error:
        _debug()
        fail(f"{type(error).__name__}: {error}")
    except Exception as error:  # a bug: still one line, the traceback on request
        _debug()
        fail(f"unexpected {type(error).__name__}: {error} (set {ENV_DEBUG}=1 for the traceback)")
    sys.exit(result if isinstance(result, int) else 0)


def _debug() -> None:
    if os.environ.get(ENV_DEBUG):
        import traceback

        traceback.print_exc()


def settings() -> dict[str, str]:
    """PAYCOMBAT_BASE_URL, PAYCOMBAT_TOKEN and PAYCOMBAT_SIGNATURE_KEY from the environment (or ``.env``)."""
    try:
        values = read_env(".env")
    except ConfigurationError as error:
        raise CliError(f"{error.message} (paycombat sandbox serve prints all three: PAYCOMBAT_BASE_URL, "
                       f"{ENV_TOKEN}, {ENV_SIGNATURE_KEY})") from None
    values[ENV_BASE_URL] = values.get(ENV_BASE_URL) or DEFAULT_BASE_URL
    return values


def stop_on_signals() -> None:
    """Ctrl-C and SIGTERM raise KeyboardInterrupt, so a long-running command cleans up (even when started
    in the background, where SIGINT arrives ignored)."""
    import signal
    import threading

    if threading.current_thread() is threading.main_thread():
        for number in (signal.SIGINT, signal.SIGTERM):
            signal.signal(number, signal.default_int_handler)


def is_real_api(base_url: str) -> bool:
    return base_url.rstrip("/") == DEFAULT_BASE_URL
