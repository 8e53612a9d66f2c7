"""A Python client generated from the committed ``openapi.json`` by openapi-python-client, once per session."""

from __future__ import annotations

import importlib
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

from tests.node_oracle import NodeOracle

OPENAPI_JSON = Path(__file__).resolve().parents[2] / "openapi.json"
PACKAGE = "paycombat_generated"


class Generated:
    """The generated package, and what the generator printed."""

    def __init__(self, package: ModuleType, output: str) -> None:
        self.package = package
        self.output = output

    def module(self, name: str) -> ModuleType:
        """``module("api.payouts.payouts_create")``, ``module("models")``..."""
        return importlib.import_module(f"{PACKAGE}.{name}")


@pytest.fixture(scope="session")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Generated]:
    """``openapi-python-client generate`` (the dev dependency, with its ruff post-hooks) into a temp dir."""
    import openapi_python_client  # noqa: F401  (dev dependency: imported, never skipped)

    root = tmp_path_factory.mktemp("generated-client")
    bin_dir = str(Path(sys.executable).parent)  # the venv's ruff, which the post-hooks run
    result = subprocess.run(
        [sys.executable, "-m", "openapi_python_client", "generate", "--path", str(OPENAPI_JSON),
         "--meta", "none", "--output-path", str(root / PACKAGE)],
        cwd=root, capture_output=True, text=True, timeout=120,
        env={**os.environ, "PATH": bin_dir + os.pathsep + os.environ.get("PATH", "")},
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    sys.path.insert(0, str(root))
    try:
        yield Generated(importlib.import_module(PACKAGE), output)
    finally:
        sys.path.remove(str(root))
        for name in [name for name in sys.modules if name == PACKAGE or name.startswith(PACKAGE + ".")]:
            del sys.modules[name]


@pytest.fixture(scope="session")
def node() -> Iterator[NodeOracle]:
    """A real Node.js: what PayCombat's server signs is its JSON.stringify(JSON.parse(body))."""
    with NodeOracle() as oracle:
        yield oracle
