"""The Whoosh version the engine was proven against.

The engine reads and writes Whoosh's files through its private parts (see
:mod:`.postings` and :mod:`.bulk_writer`), and its differential tests pass on
this version only; another version may give wrong results silently (Whoosh
2.7.5 reuses segment readers on refresh, for one). So the archive refuses
to start on any other.
"""

from __future__ import annotations

VERIFIED_WHOOSH = (2, 7, 4)


def whoosh_version_problem() -> str | None:
    """One line saying what to do when the installed Whoosh is not the
    verified one; None when it is."""
    import whoosh

    installed = tuple(whoosh.__version__)[: len(VERIFIED_WHOOSH)]
    if installed == VERIFIED_WHOOSH:
        return None
    verified = ".".join(map(str, VERIFIED_WHOOSH))
    found = ".".join(map(str, installed))
    return (
        f"the search engine was verified against Whoosh {verified}, but Whoosh {found} is installed: "
        f"run .venv/bin/pip install Whoosh=={verified}"
    )
