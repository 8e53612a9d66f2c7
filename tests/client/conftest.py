from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.node_oracle import NodeOracle


@pytest.fixture(scope="session")
def node() -> Iterator[NodeOracle]:
    """A real Node.js, the reference for what PayCombat's server re-serialises.

    Never skipped: without node the canonical JSON guarantees are untested, so fail loudly.
    """
    with NodeOracle() as oracle:
        yield oracle
