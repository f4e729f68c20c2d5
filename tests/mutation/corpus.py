"""The documents with gold that mutants are made from: the HTML and DOCX fixtures, the seeds and
the real text extractions (text dumps). PDFs are made from the DOCX fixtures' mutants through
LibreOffice (`to_pdf`), as the fixture generator makes its PDFs."""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path

from tests.goldcheck import SHARED, load_gold

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def documents(fixtures: Path = FIXTURES, shared: bool = True) -> list[tuple[Path, dict]]:
    """(path, gold) of every document mutants are made from; `fixtures` may be a corpus generated
    with another seed (tests/fixtures/generate.py --seed), `shared` adds the seeds and real texts."""
    out: list[tuple[Path, dict]] = []
    for kind in ("html", "docx"):
        gold = json.loads((fixtures / kind / "gold.json").read_text("utf-8"))["documents"]
        out += [(fixtures / kind / name, g) for name, g in sorted(gold.items())]
    if not shared:
        return out
    if (SHARED / "seeds").is_dir():
        gold = load_gold(SHARED / "gold" / "seeds.json")
        out += [(SHARED / "seeds" / name, g) for name, g in sorted(gold.items())]
    if (SHARED / "real" / "gold.json").is_file():
        gold = load_gold(SHARED / "real" / "gold.json")
        out += [(SHARED / "real" / name, g) for name, g in sorted(gold.items()) if name.endswith(".md")]
    return out


def to_pdf(docx: dict[str, bytes]) -> dict[str, bytes]:
    """DOCX files (name -> bytes) as PDFs, converted by one LibreOffice run; {} where none is installed."""
    if not shutil.which("soffice"):
        return {}
    import sys

    sys.path.insert(0, str(FIXTURES))
    from generate import soffice_to_pdf  # the fixture generator's LibreOffice path

    with tempfile.TemporaryDirectory() as tmp:
        paths = []
        for name, data in docx.items():
            p = Path(tmp) / f"{Path(name).stem}.docx"
            p.write_bytes(data)
            paths.append(p)
        soffice_to_pdf(paths, Path(tmp))
        return {name: (Path(tmp) / f"{Path(name).stem}.pdf").read_bytes() for name in docx
                if (Path(tmp) / f"{Path(name).stem}.pdf").exists()}
