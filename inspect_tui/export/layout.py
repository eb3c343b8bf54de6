"""The files of an export folder `<out>/<inspection>-<date>/`."""

JSON_NAME = "report.json"  # the canonical data bundle
SIG_NAME = "report.json.sig"  # its SSHSIG signature (namespace inspect-report)
HTML_NAME = "report.html"
PDF_NAME = "report.pdf"  # carries its own embedded signature
