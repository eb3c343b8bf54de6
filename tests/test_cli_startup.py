"""Quick commands stay quick: what `--version`, `--help`, `lookup` and `verify QR-TEXT` import.

Wall times are measured on demand by benchmarks/cli_startup.py, never asserted here; instead
each command runs in a fresh interpreter and the test checks which heavy libraries it loaded.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from inspect_tui import keys
from inspect_tui.core import i18n, sshsig
from inspect_tui.core.qr_payload import PayloadFields, encode_payload, record_digest
from inspect_tui.demo import DEMO_ID, create_demo
from inspect_tui.store.workspace import Workspace

# Each costs 20-400 ms to import; none is needed to print a version, a help text or to look
# one record up.
HEAVY = ("rich", "cryptography", "bcrypt", "reportlab", "PIL", "zxingcpp", "qrcode", "textual",
         "pyhanko", "pyhanko_certvalidator", "tinydb", "tomllib", "concurrent")
COMMAND_MODULES = ("checklist_cmd", "workspace_cmd", "keys_cmd", "export_cmd", "verify_cmd",
                   "merge_cmd", "demo_cmd", "team_cmd")

RUNNER = """
import json, os, sys
sys.argv = ["inspect-tui", *json.loads(os.environ["ARGS"])]
from inspect_tui.cli.main import main
try:
    code = main()
except SystemExit as exc:
    code = exc.code
with open(os.environ["OUT"], "w") as out:
    json.dump({"code": code, "modules": sorted(sys.modules)}, out)
"""


def loaded(args: list[str], tmp_path: Path, cwd: Path | None = None) -> tuple[int, set[str]]:
    """The exit code and every module imported by `inspect-tui ARGS`, run as an installed app
    runs: its caches (bytecode, the message catalogue) may be written, and are warmed first."""
    out = tmp_path / f"modules-{time.monotonic_ns()}.json"
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env.update(ARGS=json.dumps(args), OUT=str(out), INSPECT_TUI_LANG="zh")
    for _ in range(2):  # the first run may build the caches
        done = subprocess.run([sys.executable, "-c", RUNNER], capture_output=True, text=True,
                              env=env, cwd=cwd or tmp_path, timeout=60)
    assert out.exists(), done.stderr
    found = json.loads(out.read_text())
    return found["code"], set(found["modules"])


def heavy(modules: set[str], allowed: tuple[str, ...] = ()) -> list[str]:
    return sorted(m for m in modules if m.split(".")[0] in HEAVY and
                  m.split(".")[0] not in allowed)


@pytest.mark.parametrize("args", [["--version"], ["--help"], ["--lang", "en", "--help"]])
def test_version_and_help_import_nothing_heavy(args: list[str], tmp_path: Path) -> None:
    code, modules = loaded(args, tmp_path)
    assert code == 0
    assert heavy(modules) == []
    # Not even the command modules: their arguments are added when their command is used.
    assert sorted(m for m in modules if m.rsplit(".", 1)[-1] in COMMAND_MODULES) == []
    assert not any(m.startswith("inspect_tui.store") for m in modules)


def test_a_subcommand_help_loads_only_its_own_module(tmp_path: Path) -> None:
    code, modules = loaded(["lookup", "--help"], tmp_path)
    assert code == 0
    assert "inspect_tui.cli.workspace_cmd" in modules
    assert "inspect_tui.cli.export_cmd" not in modules
    assert heavy(modules, allowed=("tinydb", "tomllib")) == []  # the store; no Rich, no crypto


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str, Path, str]:
    """A demo workspace (in data/, where commands look), one record ID, a trusted key's
    allowed_signers file and that record's signed QR text."""
    root = tmp_path_factory.mktemp("startup")
    create_demo(root / "data")
    with Workspace.open(root / "data", readonly=True) as ws:
        insp = ws.inspection(DEMO_ID)
        site = insp.sites()[0]
        record = next(iter(insp.records(site.site_id).values()))
    info = keys.new_key("张组长", "pass phrase", root / "keys")
    allowed = root / "allowed_signers"
    allowed.write_text(info.allowed_signers_line() + "\n", "utf-8")
    fields = PayloadFields(record.record_id, site.site_id, record.criterion_id, 3.0,
                           1_700_000_000, record_digest(b"x"))
    qr = encode_payload(fields, keys.load_private("张组长", "pass phrase", root / "keys"))
    return root, record.record_id, allowed, qr


def test_lookup_imports_no_display_export_or_crypto_library(
        demo: tuple[Path, str, Path, str], tmp_path: Path) -> None:
    root, record_id, _, _ = demo
    code, modules = loaded(["lookup", record_id], tmp_path, cwd=root)
    assert code == 0
    assert heavy(modules, allowed=("tinydb", "tomllib")) == []  # the store and its checklist


def test_verify_of_a_qr_text_imports_neither_the_report_model_nor_rich(
        demo: tuple[Path, str, Path, str], tmp_path: Path) -> None:
    _, _, allowed, qr = demo
    code, modules = loaded(["verify", qr, "--trusted", str(allowed)], tmp_path)
    assert code == 0  # valid
    assert heavy(modules, allowed=("cryptography",)) == []
    assert "cryptography.hazmat.primitives.serialization" not in modules
    assert "inspect_tui.core.report" not in modules and "inspect_tui.store.workspace" not in modules


def test_public_key_blob_is_the_x962_point() -> None:
    """sshsig builds the point from the key's numbers (no serialization import): the same
    bytes as cryptography's X9.62 encoding, leading zero bytes included."""
    for _ in range(300):
        key = ec.generate_private_key(ec.SECP256R1()).public_key()
        point = key.public_bytes(serialization.Encoding.X962,
                                 serialization.PublicFormat.UncompressedPoint)
        assert sshsig.public_key_blob(key).endswith(len(point).to_bytes(4, "big") + point)


# ---- the message catalogue's cache -------------------------------------------------------

@pytest.fixture
def locale_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "locale"
    folder.mkdir()
    (folder / "a.toml").write_text('["x.one"]\nzh = "一"\nen = "one"\n', "utf-8")
    monkeypatch.setattr(i18n, "_LOCALE", str(folder))
    monkeypatch.setattr(i18n, "_CACHE", str(folder / "__pycache__" / "catalogue.marshal"))
    monkeypatch.setattr(sys, "dont_write_bytecode", False)
    return folder


def build() -> dict[str, dict[str, str]]:
    return i18n.catalogue.__wrapped__()  # type: ignore[attr-defined,no-any-return]


def test_catalogue_cache_follows_every_change(locale_copy: Path) -> None:
    assert build()["x.one"]["en"] == "one"
    cache = locale_copy / "__pycache__" / "catalogue.marshal"
    assert cache.is_file()
    assert build()["x.one"]["en"] == "one"  # from the cache
    (locale_copy / "a.toml").write_text('["x.one"]\nzh = "一"\nen = "uno"\n', "utf-8")
    assert build()["x.one"]["en"] == "uno"  # same size, other bytes: rebuilt
    (locale_copy / "b.toml").write_text('["x.two"]\nzh = "二"\nen = "two"\n', "utf-8")
    assert set(build()) == {"x.one", "x.two"}
    (locale_copy / "b.toml").unlink()
    assert set(build()) == {"x.one"}
    cache.write_bytes(b"\x00damaged")
    assert build()["x.one"]["en"] == "uno"
    assert not list(cache.parent.glob("*.tmp"))


def test_a_key_defined_twice_is_an_error_even_with_a_cache(locale_copy: Path) -> None:
    build()
    (locale_copy / "b.toml").write_text('["x.one"]\nzh = "又"\nen = "again"\n', "utf-8")
    with pytest.raises(RuntimeError, match="defined twice"):
        build()


def test_no_cache_is_written_when_bytecode_is_not(locale_copy: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "dont_write_bytecode", True)
    assert build()["x.one"]["zh"] == "一"
    assert not (locale_copy / "__pycache__").exists()
