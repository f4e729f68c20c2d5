"""The recogniser adapter (ocr.engine): bundled models, offline, detection and batched recognition."""

from __future__ import annotations

import socket

import cv2
import numpy as np
import pytest

from ocr.engine import DET_MODEL, REC_MODEL, detect, load_engine, model_dir, recognize


def _line(text: str, scale: float = 1.2, thickness: int = 2) -> np.ndarray:
    (w, h), base = cv2.getTextSize(text, cv2.FONT_HERSHEY_SIMPLEX, scale, thickness)
    img = np.full((h + base + 20, w + 20), 255, np.uint8)
    cv2.putText(img, text, (10, h + 10), cv2.FONT_HERSHEY_SIMPLEX, scale, 0, thickness)
    return img


def test_models_are_the_ones_shipped_inside_the_rapidocr_package():
    assert (model_dir() / DET_MODEL).is_file() and (model_dir() / REC_MODEL).is_file()
    assert "rapidocr" in model_dir().parts


def test_models_load_without_any_network(monkeypatch):
    def no_network(*args, **kwargs):
        raise AssertionError("the OCR engine tried to open a network connection")

    monkeypatch.setattr(socket, "socket", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    load_engine.cache_clear()
    try:
        engine = load_engine()
        assert recognize(engine, [_line("2024")])[0].text == "2024"
    finally:
        load_engine.cache_clear()


def test_the_engine_is_loaded_once_and_shared():
    assert load_engine() is load_engine()


@pytest.mark.parametrize("number", ["0", "1", "10", "235", "9487"])
def test_printed_numbers_are_read_exactly(number):
    (rec,) = recognize(load_engine(), [_line(number)])
    assert rec.text == number
    assert rec.min_char_confidence > 0.8


def test_a_batch_comes_back_in_the_order_given():
    texts = ["7545", "3", "2776", "84", "31"]
    recs = recognize(load_engine(), [_line(t) for t in texts])
    assert [r.text for r in recs] == texts


def test_a_blank_crop_reads_as_nothing_with_no_confidence():
    (rec,) = recognize(load_engine(), [np.full((40, 80), 255, np.uint8)])
    assert rec.text == "" and rec.confidence == 0.0


def test_the_least_character_confidence_never_exceeds_the_mean():
    (rec,) = recognize(load_engine(), [_line("14 2 0 and 235")])
    assert rec.min_char_confidence <= rec.confidence


def test_detection_finds_each_separate_line():
    page = np.full((300, 600), 255, np.uint8)
    cv2.putText(page, "first line 2024", (20, 80), cv2.FONT_HERSHEY_SIMPLEX, 1.2, 0, 2)
    cv2.putText(page, "second line 95", (20, 200), cv2.FONT_HERSHEY_SIMPLEX, 1.2, 0, 2)
    boxes = detect(load_engine(), page)
    assert len(boxes) == 2
    assert boxes[0].y1 < boxes[1].y0


def test_a_crop_reads_the_same_alone_as_in_a_batch_of_crops_of_other_widths():
    texts = ["0", "14", "235", "9487", "2024 2025", "1", "10", "0", "31", "7545", "3", "84", "2776"]
    crops = [_line(t) for t in texts]
    engine = load_engine()
    together = recognize(engine, crops)
    alone = [recognize(engine, [c])[0] for c in crops]
    assert [r.text for r in together] == [r.text for r in alone]
    assert [r.min_char_confidence for r in together] == pytest.approx([r.min_char_confidence for r in alone], abs=1e-4)
