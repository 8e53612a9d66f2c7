"""List results are pages; iterating one walks the later pages lazily, one request per page."""

from __future__ import annotations

from itertools import islice
from typing import Any

import pytest

from paycombat_tools import Page, PayCombat, PayCombatError
from paycombat_tools.models import Payout

from .fixtures import client, recording_server  # noqa: F401
from .recording_server import Recorded, RecordingServer, Reply
from .samples import PAYOUT_RECORD

PAYOUTS = [{**PAYOUT_RECORD, "id": f"po_{number}"} for number in range(1, 6)]


def laravel_pages(items: list[dict[str, Any]]) -> Any:
    """A responder serving ``items`` as Laravel paginator objects, by the ``page``/``limit`` query."""

    def respond(seen: Recorded) -> Reply:
        page, per_page = int(seen.params.get("page", 1)), int(seen.params.get("limit", 10))
        last_page = max(1, -(-len(items) // per_page))
        chunk = items[(page - 1) * per_page: page * per_page]
        return Reply.envelope({"current_page": page, "per_page": per_page, "total": len(items),
                               "last_page": last_page, "data": chunk})

    return respond


def bare_list_pages(items: list[dict[str, Any]]) -> Any:
    """A responder serving ``items`` as bare lists (no paging facts at all)."""

    def respond(seen: Recorded) -> Reply:
        page, per_page = int(seen.params.get("page", 1)), int(seen.params.get("limit", 10))
        return Reply.envelope(items[(page - 1) * per_page: page * per_page])

    return respond


def test_iterating_a_laravel_page_fetches_later_pages_only_when_reached(
    client: PayCombat, recording_server: RecordingServer
) -> None:
    recording_server.responder = laravel_pages(PAYOUTS)

    page = client.payouts.list(limit=2, status="SUCCESS")
    assert isinstance(page, Page)
    assert (page.page, page.limit, page.total, page.last_page, page.has_more) == (1, 2, 5, 3, True)
    assert len(recording_server.requests) == 1

    walker = iter(page)
    first, second = next(walker), next(walker)
    assert [first.id, second.id] == ["po_1", "po_2"]
    assert len(recording_server.requests) == 1  # page 2 not asked for yet

    third = next(walker)
    assert third.id == "po_3"
    assert len(recording_server.requests) == 2

    rest = list(walker)
    assert [payout.id for payout in rest] == ["po_4", "po_5"]
    assert all(isinstance(payout, Payout) for payout in (first, second, third, *rest))

    queries = [seen.params for seen in recording_server.requests]
    assert queries == [
        {"limit": "2", "status": "SUCCESS"},
        {"limit": "2", "status": "SUCCESS", "page": "2"},  # filters carried to every page
        {"limit": "2", "status": "SUCCESS", "page": "3"},
    ]


def test_a_single_page_is_its_own_items(client: PayCombat, recording_server: RecordingServer) -> None:
    recording_server.responder = laravel_pages(PAYOUTS)

    page = client.payouts.list(limit=2)

    assert [payout.id for payout in page.items] == ["po_1", "po_2"]
    assert page[1].id == "po_2"
    assert len(recording_server.requests) == 1


def test_next_page_returns_none_after_the_last(client: PayCombat, recording_server: RecordingServer) -> None:
    recording_server.responder = laravel_pages(PAYOUTS)

    last = client.payouts.list(limit=2, page=3)

    assert [payout.id for payout in last] == ["po_5"]
    assert last.next_page() is None
    assert len(recording_server.requests) == 1


def test_bare_list_pages_are_walked_until_a_short_page(client: PayCombat, recording_server: RecordingServer) -> None:
    recording_server.responder = bare_list_pages(PAYOUTS)

    page = client.payouts.list(limit=2)
    walker = page.auto_paging_iter()
    assert [next(walker).id, next(walker).id] == ["po_1", "po_2"]
    assert len(recording_server.requests) == 1

    assert [payout.id for payout in walker] == ["po_3", "po_4", "po_5"]
    assert [seen.params.get("page") for seen in recording_server.requests] == [None, "2", "3"]


def test_bare_list_pages_that_divide_evenly_stop_at_the_empty_page(
    client: PayCombat, recording_server: RecordingServer
) -> None:
    recording_server.responder = bare_list_pages(PAYOUTS[:4])

    ids = [payout.id for payout in client.payouts.list(limit=2)]

    assert ids == ["po_1", "po_2", "po_3", "po_4"]
    assert len(recording_server.requests) == 3  # the third page is empty and ends the walk


def test_a_bare_list_without_a_limit_is_one_page(client: PayCombat, recording_server: RecordingServer) -> None:
    recording_server.queue(Reply.envelope(PAYOUTS))

    ids = [payout.id for payout in client.payouts.list()]

    assert ids == [payout["id"] for payout in PAYOUTS]
    assert len(recording_server.requests) == 1


@pytest.mark.parametrize("shape", ["laravel", "bare-list"])
def test_a_server_that_ignores_page_does_not_make_iteration_endless(
    shape: str, client: PayCombat, recording_server: RecordingServer
) -> None:
    first_two = PAYOUTS[:2]
    same_page = ({"current_page": 1, "per_page": 2, "total": 5, "last_page": 3, "data": first_two}
                 if shape == "laravel" else first_two)
    recording_server.responder = lambda seen: Reply.envelope(same_page)

    walked = []
    try:
        walked = [payout.id for payout in islice(client.payouts.list(limit=2), 40)]
    except PayCombatError:
        pass  # refusing to go on is fine too

    assert len(walked) < 40, f"{len(recording_server.requests)} requests for the same page"
