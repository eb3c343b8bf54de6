"""inspect-tui: offline checklists, scoring and signed reports for 普法 inspection teams."""

__version__ = "0.1.0"
