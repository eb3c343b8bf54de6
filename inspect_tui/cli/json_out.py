"""`--json` on listing and check commands: one versioned JSON document on stdout, nothing else.

Every document starts with `{"format": "inspect-tui/<what>", "version": 1, …}` (the shapes
are described in docs/json-output.md). Within a version fields are only ever added; removing
or renaming one raises the version. Text is written as UTF-8, not as \\u escapes, except the
characters a terminal obeys (DEL, C1, the bidirectional controls, line/paragraph separators,
lone surrogates): `json.dumps` escapes C0 itself, these are escaped here, so a document that
quotes another laptop's text is still safe to `cat` and parses back to exactly the stored text.
Messages and warnings stay on stderr; exit codes are those of the command without `--json`.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from typing import Any

from inspect_tui.core.i18n import t

PREFIX = "inspect-tui/"
VERSION = 1

# Not escaped by json.dumps(ensure_ascii=False); see terminal_safe for why each is dangerous.
_UNSAFE = re.compile("[\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069"
                     "\ud800-\udfff]")


def add_flag(parser: argparse.ArgumentParser, examples_key: str | None = None, *,
             inherited: bool = False) -> None:
    """Give `parser` a --json flag and, with `examples_key`, --json lines in its --help.

    `inherited`: the parent parser has a --json flag too (`conflicts --json` and
    `conflicts list --json`); a subparser default would overwrite the parent's value.
    """
    parser.add_argument("--json", action="store_true",
                        default=argparse.SUPPRESS if inherited else False,
                        help=t("json.opt.help"))
    if examples_key:
        extend_epilog(parser, t(examples_key))


def extend_epilog(parser: argparse.ArgumentParser, text: str) -> None:
    parser.epilog = f"{parser.epilog or t('json.examples.heading')}\n{text}"
    parser.formatter_class = argparse.RawDescriptionHelpFormatter  # keep the example lines


def wanted(args: argparse.Namespace) -> bool:
    return bool(getattr(args, "json", False))


def dumps(what: str, body: dict[str, Any]) -> str:
    """The document for `body`, its format and version first."""
    doc = {"format": PREFIX + what, "version": VERSION, **body}
    text = json.dumps(doc, ensure_ascii=False, indent=2, default=str)
    # Only inside strings can these characters occur, and there \\uXXXX means the same.
    return _UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def emit(what: str, body: dict[str, Any]) -> None:
    """Write the one document to stdout as UTF-8, whatever the locale's encoding."""
    data = (dumps(what, body) + "\n").encode("utf-8")
    sys.stdout.flush()
    buffer = getattr(sys.stdout, "buffer", None)
    if buffer is None:  # a replaced stdout (tests) takes text
        sys.stdout.write(data.decode("utf-8"))
    else:
        buffer.write(data)
        buffer.flush()
