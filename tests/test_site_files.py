"""The kinds of entity a site's file keeps are one list: the merge's and the summary's."""

from inspect_tui.core import merge, site_files


def test_the_merge_and_the_summary_agree_on_what_a_site_file_keeps() -> None:
    assert merge.SITE_FILE_KINDS == site_files.SITE_FILE_KINDS
