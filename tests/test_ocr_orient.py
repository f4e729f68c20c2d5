"""Which way up a page is (ocr.orient)."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from ocr.engine import TextBox, detect, load_engine
from ocr.orient import lines_run_down, page_turn, turn, turn_boxes


def _page() -> np.ndarray:
    img = np.full((900, 700), 255, np.uint8)
    for i, y in enumerate(range(80, 860, 60)):
        cv2.putText(img, f"{2020 + i} report line number {i}", (40, y), cv2.FONT_HERSHEY_SIMPLEX, 1.0, 0, 2)
    return img


def test_wide_boxes_mean_lines_run_across():
    assert not lines_run_down([TextBox(0, 0, 400, 30, 0.9), TextBox(0, 40, 380, 70, 0.9)])


def test_tall_boxes_mean_the_page_lies_on_its_side():
    assert lines_run_down([TextBox(0, 0, 30, 400, 0.9), TextBox(40, 0, 70, 380, 0.9)])


@pytest.mark.parametrize("degrees", [90, 180, 270])
def test_boxes_turn_with_their_image(degrees):
    img = np.zeros((50, 80), np.uint8)
    img[10:20, 30:60] = 255
    (box,) = turn_boxes([TextBox(30, 10, 60, 20, 1.0)], img.shape, degrees)
    turned = turn(img, degrees)
    assert turned[box.y0 : box.y1, box.x0 : box.x1].all()
    assert turned.sum() == img.sum()


@pytest.mark.parametrize("given, needed", [(None, 0), (cv2.ROTATE_180, 180), (cv2.ROTATE_90_CLOCKWISE, 270)])
def test_the_turn_that_makes_the_page_upright_is_found(given, needed):
    img = _page() if given is None else cv2.rotate(_page(), given)
    boxes = detect(load_engine(), img)
    assert page_turn(load_engine(), img, boxes) == needed
