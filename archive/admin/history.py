"""The history pages of the archive's admin: which editor changed what, and
the link back to the state before an editor's change."""

from __future__ import annotations

import itertools

from simple_history.admin import SimpleHistoryAdmin
from simple_history.manager import SIMPLE_HISTORY_REVERSE_ATTR_NAME

from archive import editing
from archive.admin.common import CountAndLinkMixin

# Bookkeeping columns an editor never sets; a change to them is no news in the history.
HIDDEN_HISTORY_FIELDS = {"edited_fields", "updated_at"}


def historic_record(instance):
    """The history version an instance was built from (the admin's revert page), or None."""
    return getattr(instance, SIMPLE_HISTORY_REVERSE_ATTR_NAME, None)


class HistoryAdmin(CountAndLinkMixin, SimpleHistoryAdmin):
    """Our admin pages with history: a history list the CSP lets through,
    showing what editors changed.

    The state recorded automatically just before an editor's first change
    (``editing.BASELINE_REASON``) is not listed as an event of its own: the
    editor's change is, with a link to revert to the state before it.
    """

    object_history_list_template = "admin/archive/object_history_list.html"

    def set_history_delta_changes(self, request, historical_records, foreign_keys_are_objs=True):
        super().set_history_delta_changes(request, historical_records, foreign_keys_are_objs)
        records = list(historical_records)
        for newer, older in itertools.pairwise(records):
            if older.history_change_reason == editing.BASELINE_REASON:
                older.automatic_baseline = True
                newer.version_before = older
        hidden = {
            str(field.verbose_name) for field in self.model._meta.concrete_fields if field.name in HIDDEN_HISTORY_FIELDS
        }
        for record in records:
            changes = getattr(record, "history_delta_changes", None)
            if changes:
                record.history_delta_changes = [change for change in changes if str(change["field"]) not in hidden]
