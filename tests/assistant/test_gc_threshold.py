"""The cyclic GC's young threshold the service sets once warm (see ``assistant.service.GC_YOUNG_THRESHOLD``)."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from assistant.service import GC_YOUNG_THRESHOLD, _raise_gc_threshold


@pytest.fixture(autouse=True)
def _keep_thresholds() -> Iterator[None]:
    before = gc.get_threshold()
    yield
    gc.set_threshold(*before)


def test_a_lower_threshold_is_raised_and_the_older_generations_kept() -> None:
    gc.set_threshold(700, 11, 12)
    _raise_gc_threshold()
    assert gc.get_threshold() == (GC_YOUNG_THRESHOLD, 11, 12)


def test_a_higher_threshold_or_a_disabled_one_set_by_the_host_stays() -> None:
    for host in ((GC_YOUNG_THRESHOLD * 2, 10, 10), (0, 10, 10)):
        gc.set_threshold(*host)
        _raise_gc_threshold()
        assert gc.get_threshold() == host
