"""Report export (report.json + SSH signature, HTML, signed PDF) and verification of files.

Nothing here is imported when the app or the CLI starts: reportlab and pyHanko load only inside
the functions that build or check a PDF, zxing-cpp only when an image is scanned.
"""
