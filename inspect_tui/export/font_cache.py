"""reportlab TrueType fonts whose parsed tables are kept between exports.

reportlab reads a font's character map and metrics in Python (TTFontFile.extractInfo): for
the report's two CJK faces (a 20 MB Song collection and the Hei face) about 0.4 s at every
export, in the PDF worker before it can lay anything out. What it parses is plain data
(numbers, strings, lists, dicts), so it is kept with marshal (data only, never code, as
Python keeps its .pyc files) in the user's cache folder, one file per font file and subfont,
stamped with the font file's size and modification time and the reportlab and Python
versions. A missing, stale or damaged entry means parsing the font again (and writing the
entry atomically); a font whose parse holds anything else is simply not kept. The font file
itself is read again every time (reportlab subsets it when it writes the PDF).
"""

from __future__ import annotations

import contextlib
import hashlib
import marshal
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from reportlab.pdfbase.ttfonts import TTFont

FORMAT = 1
# Rebuilt per process, never kept: the font file's bytes, the face's scale function, the
# font's encoding and its per-document subset state.
_FACE_REBUILT = ("_ttf_data", "_pdfScale")
_FONT_REBUILT = ("face", "encoding", "state")


def cache_folder() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or (
        os.environ.get("LOCALAPPDATA") if sys.platform == "win32" else None)
    return Path(base or Path.home() / ".cache") / "inspect-tui" / "fonts"


def _stamp(name: str, path: str, index: int) -> tuple[Path, tuple[Any, ...]] | None:
    """(entry file, what the entry must have been made from), None if the font is unreadable.
    The name is in it too: reportlab decides from it whether the font is shaped."""
    import reportlab

    try:
        st = os.stat(path)
    except OSError:
        return None
    where = os.path.abspath(path)
    stamp = (FORMAT, name, where, index, st.st_size, st.st_mtime_ns, reportlab.Version,
             tuple(sys.version_info[:2]))
    entry = hashlib.sha256(f"{name}\0{where}\0{index}".encode()).hexdigest()[:32]
    return cache_folder() / f"{entry}.marshal", stamp


def _kept(font: TTFont, stamp: tuple[Any, ...]) -> bytes | None:
    """The entry for the font's parsed tables; None if they hold anything but plain data."""
    from reportlab.pdfbase.ttfonts import TTFNameBytes

    face = {k: v for k, v in vars(font.face).items() if k not in _FACE_REBUILT}
    names = {k: v.ustr for k, v in face.items() if isinstance(v, TTFNameBytes)}
    face = {k: v for k, v in face.items() if k not in names}
    own = {k: v for k, v in vars(font).items() if k not in _FONT_REBUILT}
    try:
        return marshal.dumps((stamp, (own, face, names)))
    except ValueError:  # an object marshal cannot write: this font is parsed every time
        return None


def _rebuilt(path: str, kept: tuple[Any, ...]) -> TTFont:
    """The TTFont the kept tables were taken from, with the parts rebuilt per process."""
    from weakref import WeakKeyDictionary

    from reportlab.pdfbase.ttfonts import TTEncoding, TTFNameBytes, TTFont, TTFontFace

    own, face_state, names = kept
    face = TTFontFace.__new__(TTFontFace)
    vars(face).update(face_state)
    vars(face).update({k: TTFNameBytes(text.encode("utf8")) for k, text in names.items()})
    with open(path, "rb") as f:
        face._ttf_data = f.read()
    units = face.unitsPerEm
    if units == 1000:  # as reportlab's TTFontFile.extractInfo makes it
        face._pdfScale = lambda x: x
    else:
        factor = 1000 / units
        face._pdfScale = lambda x: x * factor
    font = TTFont.__new__(TTFont)
    vars(font).update(own)
    font.face, font.encoding, font.state = face, TTEncoding(), WeakKeyDictionary()
    return font


def _read(entry: Path, stamp: tuple[Any, ...]) -> tuple[Any, ...] | None:
    try:
        saved_stamp, kept = marshal.loads(entry.read_bytes())
    except (OSError, ValueError, EOFError, TypeError):
        return None
    return kept if saved_stamp == stamp else None


def _write(entry: Path, data: bytes) -> None:
    """Best effort and atomic: a read-only home only means parsing again next time."""
    tmp = entry.with_name(f"{entry.name}.{os.getpid()}.tmp")
    try:
        entry.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_bytes(data)
        os.replace(tmp, entry)
    except OSError:
        with contextlib.suppress(OSError):
            tmp.unlink()


def load_font(name: str, path: str, index: int = 0) -> TTFont:
    """TTFont(name, path, subfontIndex=index), from the cache when it holds this font file;
    raises what TTFont raises for a file it cannot read."""
    from reportlab.pdfbase.ttfonts import TTFont

    where = _stamp(name, path, index)
    if where is not None:
        kept = _read(*where)
        if kept is not None:
            with contextlib.suppress(OSError, ValueError, TypeError, KeyError, AttributeError):
                return _rebuilt(path, kept)
    font = TTFont(name, path, subfontIndex=index)
    if where is not None and (data := _kept(font, where[1])) is not None:
        _write(where[0], data)
    return font
