"""The office's verifier page: build.py and its assets (index.html, verifier.js/.css,
vendor/)."""
