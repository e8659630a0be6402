"""Parse quality on real pages: each issue of a corpus folder scored against its gold file.

Parses every ``*.txt`` of the folder (``tests/data/real/tuned`` or
``tests/data/real/heldout``), scores it with the shared scorer
(``score_parse.py``, see docs/parse-contract.md) against the ``.gold.json``
beside it, and prints one line per issue and the figures per decade: segment
F1 over all the decade's articles, titles exact, body similarity and
paragraphs lost.

    .venv/bin/python bench/real_pages.py tests/data/real/tuned --scorer ../shared/tools/score_parse.py
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
from collections import defaultdict
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_DIR))

from archive.parsing import parse_issue  # noqa: E402


def load_scorer(path: Path):
    spec = importlib.util.spec_from_file_location("score_parse", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.score


def decade(gold: dict) -> str:
    return gold["issue_date"][:3] + "0s"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("folder", type=Path)
    parser.add_argument("--scorer", type=Path, required=True, help="path of score_parse.py")
    parser.add_argument("--verbose", action="store_true", help="print every issue's line")
    args = parser.parse_args()
    score = load_scorer(args.scorer)
    totals: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for text_path in sorted(args.folder.glob("*.txt")):
        gold = json.loads(text_path.with_suffix(".gold.json").read_text(encoding="utf-8"))
        parsed = parse_issue(text_path.read_text(encoding="utf-8"), text_path.name).to_contract()
        m = score(parsed, gold)
        if args.verbose:
            print(
                f"{text_path.name:32} f1={m['segment_f1']:.3f} titles={m['titles_exact'] or 0:.3f} "
                f"body={m['body_similarity']:.3f} gold={m['articles_gold']} parsed={m['articles_parsed']} "
                f"lost={m['paragraphs_lost']}"
            )
        t = totals[decade(gold)]
        t["issues"] += 1
        t["gold"] += m["articles_gold"]
        t["parsed"] += m["articles_parsed"]
        t["matched"] += m["matched"]
        t["titled"] += m["matched"] if m["titles_exact"] is not None else 0
        t["titles_hit"] += (m["titles_exact"] or 0) * m["matched"]
        t["body"] += m["body_similarity"] * m["articles_gold"]
        t["lost"] += m["paragraphs_lost"]
    print(f"{'decade':8} {'issues':>6} {'articles':>8} {'f1':>6} {'titles':>6} {'body':>6} {'lost':>4}")
    for name in sorted(totals):
        t = totals[name]
        precision = t["matched"] / t["parsed"] if t["parsed"] else 0.0
        recall = t["matched"] / t["gold"] if t["gold"] else 0.0
        f1 = 2 * precision * recall / (precision + recall) if t["matched"] else 0.0
        titles = t["titles_hit"] / t["titled"] if t["titled"] else 0.0
        print(
            f"{name:8} {int(t['issues']):>6} {int(t['gold']):>8} {f1:>6.3f} {titles:>6.3f} "
            f"{t['body'] / t['gold']:>6.3f} {int(t['lost']):>4}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
