"""Build the real-page corpus: dumps and gold files from the annotated sources.

Each ``*.src`` file is one issue (or the part of a page kept), written by hand
from the articles of a public People's Daily text archive that gives one
article per file. Its lines are:

    # comment
    style: source | blank     how the dump lays the lines out (see below)
    = 第2版                    a page label line of the dump
    @ REPO COMMIT PATH         a new article, and the file it was read from
    T<TAB>line                 a title line (kicker, headline or subtitle), as printed
    P<TAB>line                 a paragraph, as printed
    B<TAB>line                 a credit line (byline on a line of its own)

The dump keeps every line as the source gives it. "source" style prints the
lines one under another with their own indentation, as the archive prints an
article; "blank" style puts a blank line between lines and drops the
indentation, as the issue dumps in ``samples/`` do. The gold file lists, per
article, its title lines and its paragraphs (``score_parse.py`` format).

    python tests/data/real/build.py      # rewrites every .txt and .gold.json
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
_DATE = re.compile(r"(\d{4}-\d{2}-\d{2})")


def read_source(path: Path) -> dict:
    issue = {"style": "source", "lines": [], "articles": []}
    article = None
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not raw.strip() or raw.startswith("#"):
            continue
        if raw.startswith("style:"):
            issue["style"] = raw.split(":", 1)[1].strip()
        elif raw.startswith("= "):
            issue["lines"].append(("=", raw[2:].strip()))
        elif raw.startswith("@ "):
            repo, commit, source = raw[2:].split(maxsplit=2)
            article = {"source": {"repo": repo, "commit": commit, "path": source}, "title_lines": [], "paragraphs": []}
            issue["articles"].append(article)
        elif raw[:2] in ("T\t", "P\t", "B\t"):
            if article is None:
                raise SystemExit(f"{path.name}:{number}: text before the first article")
            tag, line = raw[0], raw[2:]
            issue["lines"].append((tag, line))
            if tag == "T":
                article["title_lines"].append(line.strip())
            elif tag == "P":
                article["paragraphs"].append(line.strip())
        else:
            raise SystemExit(f"{path.name}:{number}: unknown line {raw[:20]!r}")
    return issue


def dump(issue: dict) -> str:
    if issue["style"] == "blank":
        return "\n\n".join(line.strip() for _tag, line in issue["lines"]) + "\n"
    return "\n".join(line.rstrip() for _tag, line in issue["lines"]) + "\n"


def gold(path: Path, issue: dict) -> dict:
    date = _DATE.search(path.name)
    return {
        "source": path.with_suffix(".txt").name,
        "issue_date": date[1] if date else None,
        "articles": issue["articles"],
    }


def main() -> int:
    sources = sorted(HERE.glob("*/*.src"))
    for path in sources:
        issue = read_source(path)
        path.with_suffix(".txt").write_text(dump(issue), encoding="utf-8")
        path.with_suffix(".gold.json").write_text(
            json.dumps(gold(path, issue), ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
        )
    print(f"{len(sources)} issues built", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
