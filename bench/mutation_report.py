"""Mutation report: how often a mutation of a report's source ends as a wrong number nobody is
warned about, per operator and source kind.

    uv run python bench/mutation_report.py [--sample ROWS] [--pdf-docs N] [--silent]
                                           [--fixtures DIR --no-shared]

Mutants are made from every document with gold (HTML and DOCX fixtures, the seeds, the real text
extractions; PDFs from mutated DOCX fixtures through LibreOffice, --pdf-docs of them), ingested
in-process (flows.pipeline.process) and every changed cell classified: right, missing, warned or
silent (tests/mutation/mutate.py). `silent%` is silent cells over changed cells whose change a rule
can see; changes no rule can see (a number of 表二, a swap that keeps every sum) are counted apart
under `unprotected`. `collateral` counts cells the mutant did not touch that went wrong unwarned.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from extractors.template import load_template
from tests.mutation.corpus import FIXTURES, documents, to_pdf
from tests.mutation.mutate import OPERATORS, OUTCOMES, Result, classify, document_mutants, run_document


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sample", type=int, default=None, help="mutate only this many mapped rows per document")
    ap.add_argument("--pdf-docs", type=int, default=2, help="DOCX fixtures whose mutants are also read as PDFs")
    ap.add_argument("--silent", action="store_true", help="list every silent cell")
    ap.add_argument("--fixtures", type=Path, default=FIXTURES,
                    help="a fixture corpus (generate.py --seed N writes one): its HTML and DOCX documents")
    ap.add_argument("--no-shared", action="store_true", help="leave out the seeds and real texts of ../shared")
    args = ap.parse_args()
    template = load_template()
    by_kind: dict[str, Result] = defaultdict(Result)
    docs: dict[str, int] = defaultdict(int)
    mapped: dict[str, int] = defaultdict(int)
    start = time.time()
    pdf_left = args.pdf_docs
    for path, gold in documents(args.fixtures, not args.no_shared):
        kind, res, n = run_document(path, gold, template, sample=args.sample)
        by_kind[kind].add(res)
        docs[kind] += 1
        mapped[kind] += n
        if kind == "docx" and pdf_left > 0:
            pdf_left -= 1
            made, n = document_mutants(path, gold, template, sample=args.sample)
            pdfs = to_pdf({f"{path.stem}_{k}.docx": data for k, (_, data) in enumerate(made)})
            for k, (mutant, _) in enumerate(made):
                data = pdfs.get(f"{path.stem}_{k}.docx")
                if data is not None:
                    by_kind["pdf"].add(classify(mutant, data, f"{path.stem}.pdf", gold, template, "pdf"))
            if pdfs:
                docs["pdf"] += 1
                mapped["pdf"] += n
    print(f"mutation report: {sum(docs.values())} documents, {time.time() - start:.0f} s")
    print("  " + ", ".join(f"{k}: {docs[k]} documents, {mapped[k]} rows mapped" for k in sorted(docs)))
    head = f"{'operator':<10} {'kind':<5} {'mutants':>7} {'cells':>6} " + " ".join(f"{o:>7}" for o in OUTCOMES)
    print(head + f" {'silent%':>7} | {'unprot.':>7} {'silent':>6} | {'collat.':>7}")
    for op in OPERATORS:
        for kind in sorted(by_kind):
            r = by_kind[kind]
            if not r.mutants[op]:
                continue
            counts = [r.outcomes[(op, "protected", o)] for o in OUTCOMES]
            cells = sum(counts)
            unprot = sum(r.outcomes[(op, "unprotected", o)] for o in OUTCOMES)
            rate = f"{100 * counts[3] / cells:.1f}" if cells else "-"
            print(f"{op:<10} {kind:<5} {r.mutants[op]:>7} {cells:>6} " + " ".join(f"{c:>7}" for c in counts)
                  + f" {rate:>7} | {unprot:>7} {r.outcomes[(op, 'unprotected', 'silent')]:>6} | {r.collateral[op]:>7}")
    if args.silent:
        for kind in sorted(by_kind):
            for line in by_kind[kind].silent:
                if " unprotected " not in line:
                    print(line)


if __name__ == "__main__":
    main()
