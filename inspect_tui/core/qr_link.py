"""A record QR code a phone's camera opens: the office's verifier page URL + the payload.

Link:   BASE-URL + "IT2:" + record ID + ":" + URL41(body), e.g.
        HTTPS://PUFA.EXAMPLE.CN/V/IT2:R-7K3FQ-9QX2M:8W6*…
The whole text stays in QR alphanumeric mode (0-9 A-Z space $%*+-./:), so the URL is written in
capitals (scheme and host are case-insensitive; the office hosts the page at a capitalised path)
and has no "#", "?" or "=" (not alphanumeric). The payload cannot stay Base45 there: its space
ends a URL in a camera app and its "%" starts an escape. URL41 is Base45's scheme with the 41
symbols that mean nothing special in a URL path: no space, "%" or "/" (a "/./" would be folded
away by the browser). The signature covers the header and the body bytes, not their spelling,
so a link and the plain "IT2:" text of the same record verify alike.

The verifier page (inspect_tui/verifier/verifier.js) reads the same forms: a payload after the
URL's last "/", "#" or "=" is URL41; a bare "IT<n>:" text (a scanned plain code) is Base45.
"""

from __future__ import annotations

import re

from inspect_tui.core.qr_payload import (
    QR_ALPHANUMERIC,
    MalformedPayloadError,
    PayloadFieldError,
    b45decode,
    b45encode,
    group_decode,
    group_encode,
)

# "." and ":" last: the last symbol of a group is at most index 38, so a link never ends with
# punctuation a text scanner might trim.
URL41 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ*+-.:"
_LINK_RE = re.compile(r"HTTPS?://[^#?=]*[/#=](IT[0-9]{1,3}:R-[0-9A-Z-]*:)([^/#?=]*)",
                      re.IGNORECASE)
_URL_RE = re.compile(r"HTTPS?://[0-9A-Z$%*+\-./:]+/")
MAX_URL_CHARS = 80  # the QR grows by 5.5 bits per character


def base_url(url: str) -> str:
    """The verifier page's address as printed in QR codes: capitals, ending in "/".

    PayloadFieldError when it cannot stay in QR alphanumeric mode or is no http(s) address.
    """
    text = url.strip().upper()
    if text and not text.endswith("/"):
        text += "/"
    if (not _URL_RE.fullmatch(text) or len(text) > MAX_URL_CHARS
            or any(ch not in QR_ALPHANUMERIC for ch in text)):
        raise PayloadFieldError("verifier.bad_url", url=url[:120], limit=MAX_URL_CHARS)
    return text


def link(url: str, payload: str) -> str:
    """The QR text for a record: `payload` (a plain "IT<n>:" text) behind the page's URL."""
    version, _, rest = payload.partition(":")  # Base45 has ":" too: split after the ID
    record_id, _, encoded = rest.partition(":")
    return f"{base_url(url)}{version}:{record_id}:{group_encode(b45decode(encoded), URL41)}"


def is_link(text: str) -> bool:
    return text.strip()[:8].upper().startswith(("HTTP://", "HTTPS://"))


def plain_payload(text: str, *, source: str = "-") -> str:
    """The plain "IT<n>:" text of a link; any other text is returned as it is."""
    if not is_link(text):
        return text
    match = _LINK_RE.fullmatch(text.strip())
    try:
        if match is None:
            raise ValueError(text[:12])
        body = group_decode(match.group(2).upper(), URL41)
    except ValueError:
        raise MalformedPayloadError("qr.malformed", source=source) from None
    return match.group(1).upper() + b45encode(body)
