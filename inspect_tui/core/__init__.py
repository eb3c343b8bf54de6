"""The pure domain core: no I/O frameworks (textual, tinydb) are imported here.

Each concept has one module: `checklist` (model), `checklist_loader` (TOML → model),
`scoring`, `record_id`, `hlc`, `history`, `i18n`, `errors`.
"""
