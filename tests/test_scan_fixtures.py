"""The committed scan fixtures (tests/fixtures/scan: image-only PDFs, TIFF, a 长图 JPEG, a black-and-white
PNG, an outline-text PDF) each read against its gold: no silent wrong number, nothing invented, every
printed rule break caught, recall at least today's."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from background import Task, results
from scan_corpus import DocScore, score_one

FOLDER = Path(__file__).parent / "fixtures" / "scan"
ALL = json.loads((FOLDER / "gold.json").read_text("utf-8"))["documents"]
# In CI one document of each input kind (an outline-text PDF, an image-only PDF turned 180° under a
# grey seal, TIFF, a 长图 JPEG, PNG): the other image-only PDFs are the same path as the rough scan
# corpus's, which CI samples too. NIANBAO_SCAN_CORPUS=full reads every one.
CI = {"o01_town_2022.pdf", "s06_county_2023.pdf", "s07_county_2024.tif", "s08_county_2024.jpg", "s09_town_2021.png"}
GOLD = ALL if os.environ.get("NIANBAO_SCAN_CORPUS") == "full" else {k: v for k, v in ALL.items() if k in CI}
# today's figures: every document complete but s06 (a seal inked darker than the print on a grey scan
# turned 180°): 169/200, rows under the seal missing, none wrong unwarned (179/200 two versions ago,
# 172/200 before the seal was refitted at full resolution and left unfaded when darker than the print)
RECALL_BAR = {"s06_county_2023.pdf": 0.84}


def background_tasks(folder: Path) -> Iterator[Task]:
    """Read in the session's background workers (tests/background.py), from its start."""
    for name, gold in sorted(GOLD.items()):
        yield name, score_one, (str(FOLDER / name), gold)


@pytest.fixture(scope="module")
def scores(request, tmp_path_factory) -> dict[str, DocScore]:
    return results(request, tmp_path_factory)


@pytest.mark.parametrize("name", sorted(GOLD))
def test_the_scan_fixture_reads_right_or_warned(scores, name):
    d = scores[name]
    assert (d.silent, d.invented) == ((), ())
    assert d.right / d.cells >= RECALL_BAR.get(name, 1.0), f"{d.right}/{d.cells}"
    if d.rule_expected:
        assert d.rule_caught
