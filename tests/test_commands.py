"""Which management commands the archive provides, where Django finds them."""

from django.core.management import get_commands, load_command_class


def test_rebuild_index_is_the_archives_own_not_haystacks():
    """The archive's rebuild_index (build beside the live index, then swap)
    replaces haystack's (clear first, so searches come back empty meanwhile)
    because ``archive`` stands before ``haystack`` in INSTALLED_APPS."""
    assert get_commands()["rebuild_index"] == "archive"
    command = load_command_class("archive", "rebuild_index")
    assert command.__module__ == "archive.management.commands.rebuild_index"
    assert "swap" in command.help
