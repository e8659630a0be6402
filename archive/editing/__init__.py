"""What editors do to the archive: correct articles, merge and rename
reporters, move an issue to its right title or date, re-parse, revert.

The admin calls these functions; they are plain functions so that tests and
other tools can call them too. Every change that alters what readers see
ends with :func:`refresh_public_copies`, which queues the touched articles
for the search index in the same transaction and makes the cached public
pages stale once it commits. Each article change leaves exactly one history
record, carrying the article's topics and bylines as they are after the
change.

One module per kind of action: ``articles`` (one article's corrections,
revert, deletion), ``bulk`` (many articles at once), ``reporters`` (merges
and renames), ``topics`` (topics and sections), ``issues`` (titles, issue
moves and date corrections), ``reparse``, ``editors`` (the editor group);
``history`` and ``common`` hold what they share. Callers import the names
below from ``archive.editing``.
"""

from archive.editing.articles import (
    FIELD_ALIASES,
    RevertResult,
    delete_articles,
    edited_field_names,
    field_labels,
    mark_edited,
    record_article_edit,
    revert_article,
)
from archive.editing.bulk import set_reviewed, set_topic
from archive.editing.common import INLINE_INDEX_LIMIT, EditingError, refresh_public_copies
from archive.editing.editors import EDITOR_GROUP, EDITOR_PERMISSIONS, editor_permissions, ensure_editor_group
from archive.editing.history import (
    BASELINE_REASON,
    attribute,
    carries_relations,
    ensure_baseline,
    historic_bylines,
    one_history_record,
    record_baselines,
    record_versions,
    version_matches,
)
from archive.editing.issues import change_issue_date, move_issue, paper_changed
from archive.editing.reparse import ReparseReport, reparse_issues
from archive.editing.reporters import MergeResult, merge_reporters, rename_reporter
from archive.editing.topics import section_changed, topic_changed

__all__ = [
    "BASELINE_REASON",
    "EDITOR_GROUP",
    "EDITOR_PERMISSIONS",
    "FIELD_ALIASES",
    "INLINE_INDEX_LIMIT",
    "EditingError",
    "MergeResult",
    "ReparseReport",
    "RevertResult",
    "attribute",
    "carries_relations",
    "change_issue_date",
    "delete_articles",
    "edited_field_names",
    "editor_permissions",
    "ensure_baseline",
    "ensure_editor_group",
    "field_labels",
    "historic_bylines",
    "mark_edited",
    "merge_reporters",
    "move_issue",
    "one_history_record",
    "paper_changed",
    "record_article_edit",
    "record_baselines",
    "record_versions",
    "refresh_public_copies",
    "rename_reporter",
    "reparse_issues",
    "revert_article",
    "section_changed",
    "set_reviewed",
    "set_topic",
    "topic_changed",
    "version_matches",
]
