"""Which entities a site's own file keeps (the rest are in inspection.json).

Its own small module so that reading the overview's summary at start-up need not import the
merge (core/merge.py imports it from here).
"""

from __future__ import annotations

SITE_FILE_KINDS = ("record", "visit", "rectify")  # entities kept in their site's file
