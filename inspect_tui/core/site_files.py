"""Which entities a site's own file keeps (the rest are in inspection.json).

Its own small module so that reading the overview's summary at start-up need not import the
merge (core/merge.py, whose SITE_FILE_KINDS must stay the same: tests/test_site_files.py).
"""

from __future__ import annotations

SITE_FILE_KINDS = ("record", "visit", "rectify")  # entities kept in their site's file
