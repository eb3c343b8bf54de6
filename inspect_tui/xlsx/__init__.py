"""Excel/WPS 考核评分表 files: read them into grids, write checklists as tables (openpyxl)."""
