"""Documents an office files after an inspection, as a small pure model with one builder each.

`model` is the block model the renderers (export/docx_render.py, export/gov_pdf.py) lay out
after GB/T 9704-2012; `inputs` is the plain data the builders read; each other module builds
one document.
"""
