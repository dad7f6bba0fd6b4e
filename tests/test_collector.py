"""Loading, checking and tallying run with Python's cycle collector paused
(programme.collector_paused), freeze what they made, and leave the collector as they
found it."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from typing import Any

import pytest

from conftest import REPO
from qsi_awards.programme import collector_paused, open_programme


@pytest.fixture
def passes() -> Iterator[list[int]]:
    """The generation of each pass the collector starts while the test runs."""
    started: list[int] = []

    def note(phase: str, info: dict[str, Any]) -> None:
        if phase == "start":
            started.append(info["generation"])

    gc.callbacks.append(note)
    yield started
    gc.callbacks.remove(note)


def test_loading_checking_and_tallying_make_no_collector_pass(passes: list[int]) -> None:
    assert gc.isenabled()
    programme = open_programme(REPO)  # once for the modules it imports
    programme.round_results(programme.round())
    passes.clear()
    programme = open_programme(REPO)  # the example programme: thousands of objects
    results = programme.round_results(programme.round())
    assert results.categories
    assert passes == []
    assert gc.isenabled()
    # and what they made is frozen: never walked again by the collector
    assert gc.get_freeze_count() > 0


def test_a_pause_inside_a_pause_and_a_pause_with_the_collector_off() -> None:
    with collector_paused():
        with collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()
    gc.disable()
    try:
        with collector_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_the_collector_is_on_again_after_an_error() -> None:
    with pytest.raises(RuntimeError), collector_paused():
        raise RuntimeError
    assert gc.isenabled()
