"""`inspect-tui keys` run for real in a subprocess, with keys in a temporary folder."""

from __future__ import annotations

import json
import os
import re
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from inspect_tui import keys
from inspect_tui.core import sshsig
from inspect_tui.core.i18n import catalogue
from tests.conftest import REPO

PASS = "correct horse battery"
needs_ssh_keygen = pytest.mark.skipif(shutil.which("ssh-keygen") is None,
                                      reason="ssh-keygen (OpenSSH client) is not installed")


def cli(*args: str, folder: Path, passphrase: str | None = PASS,
        lang: str = "zh") -> subprocess.CompletedProcess[str]:
    exe = shutil.which("inspect-tui", path=str(Path(sys.executable).parent))
    cmd = [exe] if exe else [sys.executable, "-m", "inspect_tui"]
    env = {k: v for k, v in os.environ.items() if k != keys.ENV_PASSPHRASE}
    env |= {"COLUMNS": "120", "INSPECT_TUI_LANG": lang, keys.ENV_DIR: str(folder)}
    if passphrase is not None:
        env[keys.ENV_PASSPHRASE] = passphrase
    return subprocess.run([*cmd, *args], capture_output=True, text=True, cwd=REPO, env=env,
                          stdin=subprocess.DEVNULL, timeout=60)


def new_zhang(folder: Path) -> keys.KeyInfo:
    r = cli("keys", "new", "--name", "张组长", folder=folder)
    assert r.returncode == 0, r.stderr
    return keys.find_key("张组长", folder)


def test_new_key_files_modes_and_index(tmp_path: Path) -> None:
    folder = tmp_path / "keys"
    r = cli("keys", "new", "--name", "张组长", folder=folder)
    assert r.returncode == 0, r.stderr
    private, = folder.glob("*.key")
    public, = folder.glob("*.pub")
    assert private.name.isascii() and private.stem == public.stem == keys.slugify("张组长")
    assert stat.S_IMODE(private.stat().st_mode) == 0o600
    assert private.read_text("ascii").startswith("-----BEGIN OPENSSH PRIVATE KEY-----")
    line = public.read_text("utf-8").strip()
    assert line.startswith("ecdsa-sha2-nistp256 AAAA") and line.endswith(" 张组长")
    index = json.loads((folder / "keys.json").read_text("utf-8"))
    entry = index["keys"][private.stem]
    assert entry["name"] == "张组长" and entry["fingerprint"] in r.stdout
    assert str(private) in r.stdout and "张组长" in r.stdout


def test_refuses_to_overwrite(tmp_path: Path) -> None:
    info = new_zhang(tmp_path)
    before = info.private_path.read_bytes()
    r = cli("keys", "new", "--name", "张组长", folder=tmp_path, passphrase="another passphrase")
    assert r.returncode == 2 and "已存在" in r.stderr and str(info.private_path) in r.stderr
    assert "Traceback" not in r.stderr
    assert info.private_path.read_bytes() == before
    assert len(list(tmp_path.glob("*.key"))) == 1


def test_never_overwrites_a_stray_file_either(tmp_path: Path) -> None:
    stray = tmp_path / f"{keys.slugify('张组长')}.key"
    stray.write_text("someone else's key", "utf-8")
    r = cli("keys", "new", "--name", "张组长", folder=tmp_path)
    assert r.returncode == 2 and str(stray) in r.stderr
    assert stray.read_text("utf-8") == "someone else's key"
    assert not list(tmp_path.glob("*.pub"))


@needs_ssh_keygen
def test_list_shows_name_and_real_fingerprint(tmp_path: Path) -> None:
    info = new_zhang(tmp_path)
    r = cli("keys", "list", folder=tmp_path)
    assert r.returncode == 0, r.stderr
    real = subprocess.run(["ssh-keygen", "-lf", str(info.public_path)], capture_output=True,
                          text=True, check=True).stdout.split()[1]
    assert "张组长" in r.stdout and real in r.stdout and info.private_path.name in r.stdout


def test_list_empty_folder(tmp_path: Path) -> None:
    r = cli("keys", "list", folder=tmp_path / "none")
    assert r.returncode == 0 and "还没有签名密钥" in r.stdout


def test_wrong_passphrase_names_the_file(tmp_path: Path) -> None:
    info = new_zhang(tmp_path)
    with pytest.raises(keys.WrongPassphraseError) as err:
        keys.load_private("张组长", "not the passphrase", tmp_path)
    assert str(info.private_path) in str(err.value) and "口令不对" in str(err.value)
    key = keys.load_private("张组长", PASS, tmp_path)
    assert sshsig.fingerprint(key.public_key()) == info.fingerprint


def test_swapped_public_key_is_refused(tmp_path: Path) -> None:
    info = new_zhang(tmp_path)
    other = keys.new_key("li", PASS, tmp_path)
    line = other.public_path.read_text("utf-8").replace(" li", " 张组长")
    info.public_path.write_text(line, "utf-8")
    index = json.loads((tmp_path / "keys.json").read_text("utf-8"))
    index["keys"][info.slug]["fingerprint"] = other.fingerprint
    with pytest.raises(keys.KeyStoreError) as err:
        keys.load_private("张组长", PASS, tmp_path)
    assert err.value.key == "keys.pub_mismatch"


@needs_ssh_keygen
def test_exported_allowed_signers_accepted_by_ssh_keygen(tmp_path: Path) -> None:
    folder = tmp_path / "keys"
    new_zhang(folder)
    r = cli("keys", "export", "张组长", "--allowed-signers", folder=folder)
    assert r.returncode == 0, r.stderr
    assert re.fullmatch(r'张组长 namespaces="inspect-report,inspect-pack" '
                        r"ecdsa-sha2-nistp256 AAAA\S+\n", r.stdout)
    allowed = tmp_path / "allowed_signers"
    allowed.write_text(r.stdout, "utf-8")
    message = "兰溪市七五普法总结验收报告\n".encode()
    private = keys.load_private("张组长", PASS, folder)
    signers = sshsig.parse_allowed_signers(allowed.read_text("utf-8"), str(allowed))
    # One trusted line serves both reports and the packs handed to the team lead.
    for namespace in (sshsig.REPORT_NAMESPACE, sshsig.PACK_NAMESPACE):
        sig = tmp_path / f"{namespace}.sig"
        sig.write_text(sshsig.sign(message, private, namespace), "ascii")
        verify = ["ssh-keygen", "-Y", "verify", "-f", str(allowed), "-I", "张组长", "-n",
                  namespace, "-s", str(sig)]
        ok = subprocess.run(verify, input=message, capture_output=True, timeout=30)
        assert ok.returncode == 0, ok.stderr
        assert subprocess.run(verify, input=message + b"x", capture_output=True,
                              timeout=30).returncode != 0
        # and our own verifier reads the same file
        assert sshsig.verify(message, sig.read_text("ascii"), namespace, signers,
                             source=str(sig)).principal == "张组长"
    other = tmp_path / "other.sig"
    other.write_text(sshsig.sign(message, private, "file"), "ascii")
    refused = subprocess.run(["ssh-keygen", "-Y", "verify", "-f", str(allowed), "-I", "张组长",
                              "-n", "file", "-s", str(other)], input=message,
                             capture_output=True, timeout=30)
    assert refused.returncode != 0  # any other namespace stays refused


@needs_ssh_keygen
def test_export_plain_public_key(tmp_path: Path) -> None:
    info = new_zhang(tmp_path)
    r = cli("keys", "export", "张组长", folder=tmp_path)
    assert r.returncode == 0 and r.stdout == info.public_path.read_text("utf-8")
    pub = tmp_path / "exported.pub"
    pub.write_text(r.stdout, "utf-8")
    out = subprocess.run(["ssh-keygen", "-lf", str(pub)], capture_output=True, text=True)
    assert out.returncode == 0 and info.fingerprint in out.stdout


def test_export_unknown_name_lists_known(tmp_path: Path) -> None:
    new_zhang(tmp_path)
    r = cli("keys", "export", "李组长", folder=tmp_path)
    assert r.returncode == 2 and "李组长" in r.stderr and "张组长" in r.stderr
    assert "Traceback" not in r.stderr


@pytest.mark.parametrize("name", ["a b", "x,y", "", '"q"', "-dash"])
def test_bad_names(tmp_path: Path, name: str) -> None:
    r = cli("keys", "new", "--name", name, folder=tmp_path)
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert not list(tmp_path.glob("*.key"))


def test_no_passphrase_and_no_terminal(tmp_path: Path) -> None:
    r = cli("keys", "new", "--name", "张组长", folder=tmp_path, passphrase=None)
    assert r.returncode == 2 and keys.ENV_PASSPHRASE in r.stderr
    assert not tmp_path.exists() or not list(tmp_path.glob("*.key"))


def test_short_passphrase(tmp_path: Path) -> None:
    r = cli("keys", "new", "--name", "张组长", folder=tmp_path, passphrase="short")
    assert r.returncode == 2 and "至少需要" in r.stderr


def test_english_messages(tmp_path: Path) -> None:
    new_zhang(tmp_path)
    r = cli("keys", "new", "--name", "张组长", folder=tmp_path, lang="en")
    assert r.returncode == 2 and "already exists" in r.stderr


def test_help_has_examples(tmp_path: Path) -> None:
    for args in (["keys", "--help"], ["keys", "new", "--help"], ["keys", "export", "--help"]):
        r = cli(*args, folder=tmp_path)
        assert r.returncode == 0 and "示例" in r.stdout, args


def test_slugs_are_ascii_and_distinct() -> None:
    names = ["张组长", "李组长", "zhang", "Zhang", "zhang.wei", "王 五"]
    slugs = [keys.slugify(n) for n in names]
    assert all(re.fullmatch(r"[a-z0-9-]+", s) for s in slugs)
    assert len(set(slugs)) == len(slugs) and keys.slugify("zhang") == "zhang"


def test_every_signing_message_key_exists() -> None:
    used: set[str] = set()
    for module in ("core/sshsig.py", "core/qr_payload.py", "keys.py", "cli/keys_cmd.py"):
        text = (REPO / "inspect_tui" / module).read_text("utf-8")
        # the first argument of t(...) or of an error class: a catalogue key
        used |= set(re.findall(r"""\(\s*["']((?:keys|sig|qr)\.[a-z0-9_.]+)["']""", text))
    assert len(used) > 30
    assert sorted(used - set(catalogue())) == []


@needs_ssh_keygen
def test_private_key_is_passphrase_protected_as_ssh_keygen_sees_it(tmp_path: Path) -> None:
    info = new_zhang(tmp_path / "keys")
    wrong = subprocess.run(["ssh-keygen", "-y", "-P", "not the passphrase", "-f",
                            str(info.private_path)], capture_output=True, text=True)
    assert wrong.returncode != 0
    right = subprocess.run(["ssh-keygen", "-y", "-P", PASS, "-f", str(info.private_path)],
                           capture_output=True, text=True)
    assert right.returncode == 0, right.stderr
    assert right.stdout.split()[:2] == info.public_path.read_text("utf-8").split()[:2]
