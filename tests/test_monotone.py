"""Placing items in order into slots in order, only where one placement is clearly best
(extractors/monotone.py): how rows whose labels were read in part are placed in a gap."""

from __future__ import annotations

from extractors.monotone import NONE, best_increasing


def test_each_item_goes_to_the_slot_it_fits_best_in_order():
    assert best_increasing([[6, 0, 2, 0], [0, 4, 0, 4], [0, 0, 4, 0]], margin=2) == [0, 1, 2]


def test_order_settles_an_item_that_fits_two_slots_equally():
    # the middle item fits slots 1 and 3 alike; only slot 1 lies between its neighbours' slots
    assert best_increasing([[6, 0, 0, 0, 0], [0, 4, 0, 4, 0], [0, 0, 5, 0, 0], [0, 0, 0, 0, 9]],
                           margin=2) == [0, 1, 2, 4]


def test_an_item_free_to_go_in_two_slots_leaves_all_unplaced():
    assert best_increasing([[6, 0, 0, 0], [0, 0, 0, 0], [0, 0, 0, 5]], margin=2) is None


def test_a_placement_better_by_less_than_the_margin_is_not_taken():
    assert best_increasing([[3, 2, 0]], margin=2) is None
    assert best_increasing([[4, 2, 0]], margin=2) == [0]


def test_slots_an_item_cannot_take_are_never_given_to_it():
    assert best_increasing([[NONE, 1, 5]], margin=2) == [2]
    assert best_increasing([[NONE, NONE]], margin=2) is None


def test_more_items_than_slots_have_no_placement():
    assert best_increasing([[1], [1]], margin=1) is None
