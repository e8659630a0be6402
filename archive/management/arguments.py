"""Command-line argument types the archive's management commands share."""

from __future__ import annotations

import argparse
import datetime


def iso_date(value: str) -> datetime.date:
    """``--date YYYY-MM-DD``; anything else is a usage error naming the value."""
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r}: expected YYYY-MM-DD") from None
