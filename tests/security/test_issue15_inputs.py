"""Issue 15, items 2.4–2.6 and 2.8: hostile inputs end as one clear message, never a traceback.

Real files on disk and the real `inspect-tui` command in a subprocess: FIFOs (os.mkfifo) and
symlinks to /dev/zero, checklists and reports holding NaN or infinity, arguments that are not
UTF-8, a site file replaced by a folder, a decompression-bomb photo. Every command that could
block runs with a timeout, so a regression fails instead of hanging.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import shutil
import struct
import subprocess
import sys
import zlib
from collections.abc import Sequence
from pathlib import Path

import pytest

from inspect_tui.core import sshsig
from inspect_tui.core.errors import InspectError
from inspect_tui.core.record_id import make_record_id
from inspect_tui.core.report import report_bytes
from tests.checklist_samples import VALID
from tests.conftest import REPO
from tests.export.fixed_report import KEY, fixed_report
from tests.merge.helpers import INSPECTION, copy_laptop, make_lead, opened, snapshot
from tests.test_sshsig import signer_line

TIMEOUT = 30  # seconds: a FIFO that blocks the command fails the test instead of hanging it
PASS = "correct horse battery staple"
Arg = str | bytes | Path


def cli(*args: Arg, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """The real command; never a traceback, and exit 0, 1 or our own 2."""
    exe = shutil.which("inspect-tui", path=str(Path(sys.executable).parent))
    cmd: list[Arg] = [exe] if exe else [sys.executable, "-m", "inspect_tui"]
    full_env = {**os.environ, "COLUMNS": "200", "INSPECT_TUI_LANG": "zh",
                "INSPECT_TUI_INSPECTOR": "组长", **(env or {})}
    done = subprocess.run([*cmd, *args], capture_output=True, cwd=REPO, env=full_env,
                          timeout=TIMEOUT)
    out = subprocess.CompletedProcess(done.args, done.returncode,
                                      done.stdout.decode("utf-8", "replace"),
                                      done.stderr.decode("utf-8", "replace"))
    assert "Traceback" not in out.stderr + out.stdout, out.stderr
    assert out.returncode in (0, 1, 2), (out.returncode, out.stderr)
    return out


def refused(done: subprocess.CompletedProcess[str], *needles: str) -> str:
    """Exit 2 with one short paragraph on stderr holding every needle."""
    assert done.returncode == 2, (done.returncode, done.stdout, done.stderr)
    text = done.stderr.strip()
    assert text and len(text.splitlines()) <= 6, text
    for needle in needles:
        assert needle in text, (needle, text)
    return text


@pytest.fixture
def hostile(tmp_path: Path) -> dict[str, Path]:
    """A FIFO and a symlink to /dev/zero under several names."""
    made: dict[str, Path] = {}
    for name in ("fifo.toml", "fifo.json", "fifo.png", "fifo.pdf", "fifo_signers"):
        os.mkfifo(tmp_path / name)
        made[name] = tmp_path / name
    for name in ("zero.toml", "zero.json", "zero.png", "zero_signers"):
        (tmp_path / name).symlink_to("/dev/zero")
        made[name] = tmp_path / name
    return made


@pytest.fixture
def signers(tmp_path: Path) -> Path:
    path = tmp_path / "allowed_signers"
    path.write_text(signer_line(KEY) + "\n")
    return path


@pytest.fixture
def lead(tmp_path: Path) -> Path:
    root = tmp_path / "lead"
    make_lead(root)
    return root


def site_files(root: Path) -> list[str]:
    return sorted(p.name for p in (root / "inspections" / INSPECTION / "sites").iterdir())


# ---- 2.4 unbounded reads ------------------------------------------------------------------

def test_checklist_validate_refuses_a_fifo_and_dev_zero_and_still_follows_good_links(
        tmp_path: Path, hostile: dict[str, Path]) -> None:
    done = cli("checklist", "validate", hostile["zero.toml"], hostile["fifo.toml"])
    text = refused(done, str(hostile["zero.toml"]), "字符设备", str(hostile["fifo.toml"]),
                   "命名管道")
    assert "MemoryError" not in text
    good = tmp_path / "real.toml"
    good.write_text(VALID, "utf-8")
    (tmp_path / "link.toml").symlink_to(good)
    assert cli("checklist", "validate", tmp_path / "link.toml").returncode == 0


def test_checklist_validate_refuses_an_oversized_file_naming_the_limit(tmp_path: Path) -> None:
    big = tmp_path / "big.toml"
    with big.open("wb") as f:
        f.truncate(3 * 1024 * 1024)  # sparse: the size is refused before anything is read
    refused(cli("checklist", "validate", big), str(big), "2048 KB")


def test_inspection_new_refuses_a_fifo_checklist_and_makes_no_workspace(
        tmp_path: Path, hostile: dict[str, Path]) -> None:
    ws = tmp_path / "ws"
    done = cli("-w", ws, "inspection", "new", "--checklist", hostile["fifo.toml"], "--title", "T")
    refused(done, str(hostile["fifo.toml"]), "命名管道")
    assert not ws.exists()


@pytest.mark.parametrize("name", ["fifo_signers", "zero_signers"])
def test_verify_trusted_refuses_a_fifo_or_dev_zero(hostile: dict[str, Path], name: str) -> None:
    refused(cli("verify", "--trusted", hostile[name], "IT1:whatever"), str(hostile[name]),
            "不是普通文件")


@pytest.mark.parametrize("name", ["fifo.json", "zero.json", "fifo.png", "zero.png", "fifo.pdf"])
def test_verify_refuses_a_fifo_or_dev_zero_target(hostile: dict[str, Path], signers: Path,
                                                  name: str) -> None:
    refused(cli("verify", "--trusted", signers, hostile[name]), str(hostile[name]),
            "不是普通文件")


def test_verify_refuses_a_report_folder_whose_pdf_is_a_fifo(tmp_path: Path,
                                                            signers: Path) -> None:
    folder = tmp_path / "report"
    folder.mkdir()
    data = report_bytes(fixed_report())
    (folder / "report.json").write_bytes(data)
    (folder / "report.json.sig").write_text(sshsig.sign(data, KEY, sshsig.REPORT_NAMESPACE))
    os.mkfifo(folder / "report.pdf")
    refused(cli("verify", "--trusted", signers, folder), str(folder / "report.pdf"), "命名管道")


def test_verify_refuses_an_oversized_report_naming_the_limit(tmp_path: Path,
                                                             signers: Path) -> None:
    big = tmp_path / "report.json"
    with big.open("wb") as f:
        f.truncate(65 * 1024 * 1024)
    refused(cli("verify", "--trusted", signers, big), str(big), "64 MB")


def test_merge_trusted_refuses_a_fifo_and_writes_nothing(lead: Path,
                                                         hostile: dict[str, Path]) -> None:
    before = snapshot(lead)
    done = cli("merge", "--into", lead, "--trusted", hostile["fifo_signers"], lead)
    refused(done, str(hostile["fifo_signers"]), "命名管道")
    assert snapshot(lead) == before


def test_merge_skips_a_laptop_folder_whose_site_file_is_a_fifo(tmp_path: Path,
                                                               lead: Path) -> None:
    laptop = copy_laptop(lead, tmp_path / "laptop")
    site = next((laptop / "inspections" / INSPECTION / "sites").glob("*.json"))
    site.unlink()
    os.mkfifo(site)
    before = snapshot(lead)
    done = cli("merge", "--into", lead, laptop)
    assert done.returncode == 1 and "命名管道" in done.stdout, done.stdout
    assert snapshot(lead) == before


def test_keys_list_refuses_a_public_key_that_is_a_fifo(tmp_path: Path) -> None:
    keys = tmp_path / "keys"
    keys.mkdir()
    os.mkfifo(keys / "张明.pub")
    refused(cli("keys", "list", env={"INSPECT_TUI_KEYS": str(keys)}), str(keys / "张明.pub"),
            "命名管道")


def test_attaching_a_fifo_or_dev_zero_as_evidence_is_refused_at_once(
        lead: Path, hostile: dict[str, Path]) -> None:
    code = (
        "import sys\n"
        "from inspect_tui.core.errors import InspectError\n"
        "from inspect_tui.store.workspace import Workspace\n"
        "with Workspace.open(sys.argv[1], author='张明') as ws:\n"
        f"    insp = ws.inspection({INSPECTION!r})\n"
        "    site = insp.sites()[0].site_id\n"
        "    for source in sys.argv[2:]:\n"
        "        try:\n"
        "            insp.attach_evidence(site, '1.1', source)\n"
        "        except InspectError as exc:\n"
        "            print(exc)\n"
    )
    done = subprocess.run([sys.executable, "-c", code, str(lead), str(hostile["fifo.png"]),
                           str(hostile["zero.png"])], capture_output=True, text=True,
                          timeout=TIMEOUT, cwd=REPO)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert len(lines) == 2 and all("不是普通文件" in line for line in lines), lines
    assert not (lead / "evidence").exists() or not list((lead / "evidence").iterdir())


# ---- 2.5 NaN and infinity -----------------------------------------------------------------

@pytest.mark.parametrize(("old", "new", "field"), [
    ("max = 4", "max = nan", "max"), ("total = 10", "total = inf", "total"),
    ("points = 3", "points = -inf", "points")])
def test_checklist_numbers_must_be_finite(tmp_path: Path, old: str, new: str,
                                          field: str) -> None:
    path = tmp_path / "nan.toml"
    path.write_text(VALID.replace(old, new, 1), "utf-8")
    text = refused(cli("checklist", "validate", path), str(path), "不是有限的数")
    assert f"{field} 的值" in text


def test_a_nan_checklist_makes_no_inspection(tmp_path: Path) -> None:
    path = tmp_path / "nan.toml"
    path.write_text(VALID.replace("max = 4", "max = nan", 1), "utf-8")
    ws = tmp_path / "ws"
    refused(cli("-w", ws, "inspection", "new", "--checklist", path, "--title", "T"), str(path))
    assert not (ws / "inspections").exists() or not list((ws / "inspections").iterdir())


@pytest.mark.parametrize(("field", "value"), [
    ("points", math.nan), ("points", "nan"), ("points", math.inf), ("count", math.nan),
    ("count", math.inf), ("count", "-inf")])
def test_record_values_must_be_finite_and_nothing_is_written(lead: Path, field: str,
                                                             value: object) -> None:
    with opened(lead) as insp:
        site = insp.sites()[0].site_id
        before = snapshot(lead)
        with pytest.raises(InspectError) as info:
            insp.set_fields(site, "1.1", **{field: value})
        assert "不是有限的数" in str(info.value) and field in str(info.value)
        assert insp.record(site, "1.1").points is None
    assert snapshot(lead) == before


def _laptop_with_score(tmp_path: Path, lead: Path, raw_value: str) -> Path:
    """A laptop copy whose first record entry's score, in the file, reads `raw_value`."""
    laptop = copy_laptop(lead, tmp_path / "laptop")
    with opened(laptop) as insp:
        insp.set_fields(insp.sites()[0].site_id, "1.1", points=3)
    site = next((laptop / "inspections" / INSPECTION / "sites").glob("*.json"))
    text = site.read_text("utf-8")
    assert text.count('"points":{"v":3.0') == 1
    site.write_text(text.replace('"points":{"v":3.0', f'"points":{{"v":{raw_value}'), "utf-8")
    return laptop


@pytest.mark.parametrize("raw", ["NaN", "Infinity", "1e999"])
def test_merge_skips_a_laptop_folder_with_a_non_finite_score_naming_file_and_field(
        tmp_path: Path, lead: Path, raw: str) -> None:
    laptop = _laptop_with_score(tmp_path, lead, raw)
    before = snapshot(lead)
    done = cli("merge", "--into", lead, laptop)
    assert done.returncode == 1, done.stdout
    flat = done.stdout.replace("\n", "")
    assert "changes.points" in flat and "已跳过" in flat, done.stdout
    assert snapshot(lead) == before


def test_merge_skips_a_pack_with_a_non_finite_score(tmp_path: Path, lead: Path) -> None:
    import zipfile

    laptop = _laptop_with_score(tmp_path, lead, "1e999")
    # a pack of that folder, made by hand so the manifest matches the altered member
    pack = tmp_path / "li.pack"
    folder = laptop / "inspections" / INSPECTION
    members = {"inspection.json": (folder / "inspection.json").read_bytes()}
    members |= {f"sites/{p.name}": p.read_bytes() for p in (folder / "sites").glob("*.json")}
    meta = next(iter(json.loads(members["inspection.json"])["meta"].values()))
    manifest = {
        "format": "inspect-tui/pack", "version": 1, "inspection": INSPECTION,
        "inspection_uid": meta.get("uid"), "title": "样例检查", "checklist_id": "sample",
        "checklist_version": "1.0", "checklist_hash": meta["checklist_hash"],
        "sender": {"author": "李", "device": "d"}, "created": "2024-05-06T09:30:00+08:00",
        "history_digest": "", "members": {
            name: {"sha256": hashlib.sha256(raw).hexdigest(), "size": len(raw)}
            for name, raw in members.items()}}
    if manifest["inspection_uid"] is None:
        del manifest["inspection_uid"]
    with zipfile.ZipFile(pack, "w") as zf:
        zf.writestr("manifest.json", json.dumps(manifest))
        for name, raw in members.items():
            zf.writestr(name, raw)
    before = snapshot(lead)
    done = cli("merge", "--into", lead, pack)
    assert done.returncode == 1 and "已跳过" in done.stdout, done.stdout
    assert snapshot(lead) == before


def _signed_report_with(tmp_path: Path, change: str) -> Path:
    report = json.loads(report_bytes(fixed_report()))
    record = report["sites"][0]["records"][0]
    record["score"] = record["points"] = {"nan": math.nan, "inf": math.inf}[change]
    data = json.dumps(report, ensure_ascii=False, sort_keys=True).encode("utf-8")
    path = tmp_path / "report.json"
    path.write_bytes(data)
    (tmp_path / "report.json.sig").write_text(sshsig.sign(data, KEY, sshsig.REPORT_NAMESPACE))
    return path


@pytest.mark.parametrize("change", ["nan", "inf"])
def test_verify_a_signed_report_holding_nan_names_the_field(tmp_path: Path, signers: Path,
                                                            change: str) -> None:
    path = _signed_report_with(tmp_path, change)
    done = cli("verify", "--trusted", signers, path)
    assert done.returncode == 1, done.stdout + done.stderr
    flat = done.stdout.replace("\n", "")
    assert str(path) in flat and "report.sites[0].records[0]" in flat, done.stdout


# ---- 2.6 arguments that are not UTF-8 ------------------------------------------------------

@pytest.mark.parametrize("args", [
    [b"site", b"add", b"\xff\xfe\xe5\x9d\x8f\xe5\x90\x8d", b"--kind", "部门".encode()],
    [b"site", b"add", "好名".encode(), b"--kind", "部门".encode(), b"--group", b"\xc3"]])
def test_site_add_with_bytes_that_are_not_utf8_is_refused_and_leaves_no_file(
        lead: Path, args: list[bytes]) -> None:
    before = site_files(lead)
    done = cli(b"-w", bytes(lead), *args)
    refused(done, "不是有效的 UTF-8")
    assert site_files(lead) == before
    doctor = cli("-w", lead, "doctor")
    assert doctor.returncode == 0 and "0 个错误，0 个警告" in doctor.stdout, doctor.stdout


def test_the_store_refuses_a_lone_surrogate_and_leaves_no_site_file(lead: Path) -> None:
    before = site_files(lead)
    with opened(lead) as insp:
        for name, group in (("\udcff\udcfe坏名", ""), ("好名", "\udcc3")):
            with pytest.raises(InspectError) as info:
                insp.add_site(name, "部门", group)
            assert "无效字符" in str(info.value)
    assert site_files(lead) == before


def test_a_site_addition_failing_midway_leaves_no_site_file(lead: Path,
                                                            monkeypatch: pytest.MonkeyPatch
                                                            ) -> None:
    from inspect_tui.store.errors import WriteFailed
    from inspect_tui.store.inspection import Inspection

    def failing(*args: object, **kwargs: object) -> None:
        raise WriteFailed("inspection.json", "No space left on device")

    before = site_files(lead)
    with opened(lead) as insp:
        monkeypatch.setattr(Inspection, "_write", failing)
        with pytest.raises(WriteFailed):
            insp.add_site("新点", "部门")
    assert site_files(lead) == before


def test_doctor_reports_an_orphan_site_file(lead: Path) -> None:
    sites = lead / "inspections" / INSPECTION / "sites"
    data = json.loads(next(sites.glob("*.json")).read_bytes())
    for meta in data["meta"].values():
        meta["site"] = "SORPHAN01"
    data["history"] = {}
    (sites / "SORPHAN01.json").write_text(json.dumps(data), "utf-8")
    done = cli("-w", lead, "doctor")
    assert str(sites / "SORPHAN01.json") in done.stdout and "不属于任何检查点" in done.stdout
    assert "1 个警告" in done.stdout


# ---- 2.8 tracebacks -----------------------------------------------------------------------

@pytest.mark.parametrize("suffix", ["", ".json", ".png", ".pdf"])
def test_verify_a_5000_character_argument(signers: Path, suffix: str) -> None:
    done = cli("verify", "--trusted", signers, "a" * 5000 + suffix)  # ENAMETOOLONG
    assert done.returncode == 2 and done.stderr.strip(), done.stderr


def _site_as_folder(lead: Path) -> Path:
    site = next((lead / "inspections" / INSPECTION / "sites").glob("*.json"))
    site.unlink()
    site.mkdir()
    return site


@pytest.mark.parametrize("command", [["site", "list"], ["lookup", "RECORD"],
                                     ["conflicts", "list"]])
def test_a_site_file_replaced_by_a_folder_is_named_not_a_traceback(
        lead: Path, command: Sequence[str]) -> None:
    site = _site_as_folder(lead)
    record = make_record_id(INSPECTION, site.stem, "1.1")
    refused(cli("-w", lead, *[record if a == "RECORD" else a for a in command]), str(site),
            "文件夹")


def test_doctor_names_a_site_file_replaced_by_a_folder(lead: Path) -> None:
    site = _site_as_folder(lead)
    done = cli("-w", lead, "doctor")
    assert done.returncode == 1 and str(site) in done.stdout and "文件夹" in done.stdout


def test_export_names_a_site_file_replaced_by_a_folder(tmp_path: Path, lead: Path) -> None:
    env = {"INSPECT_TUI_KEYS": str(tmp_path / "keys"), "INSPECT_TUI_PASSPHRASE": PASS}
    assert cli("keys", "new", "--name", "张组长", env=env).returncode == 0
    site = _site_as_folder(lead)
    done = cli("-w", lead, "export", "--key", "张组长", "--format", "json",
               "--out", tmp_path / "out", env=env)
    refused(done, str(site), "文件夹")
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").rglob("*.json"))


async def test_the_app_names_a_site_file_replaced_by_a_folder(
        lead: Path, capfd: pytest.CaptureFixture[str]) -> None:
    from tests.tui.helpers import app_on, wait_for

    site = _site_as_folder(lead)
    app = app_on(lead)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for(pilot, lambda: app._exit)
    assert app.return_code == 2  # the app's own error (a crash would be 1, with a traceback)
    err = capfd.readouterr().err.replace("\n", "")
    assert site.name in err and "文件夹" in err and "Traceback" not in err, err


def _png_header_only(width: int, height: int) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr)
            + chunk(b"IDAT", zlib.compress(b"\x00" * 64)) + chunk(b"IEND", b""))


@pytest.mark.parametrize("size", [(10_000, 9_000), (60_000, 60_000)])
def test_verify_a_decompression_bomb_photo_is_a_clear_refusal(tmp_path: Path, signers: Path,
                                                              size: tuple[int, int]) -> None:
    bomb = tmp_path / "scan.png"
    bomb.write_bytes(_png_header_only(*size))  # between 1× and 2× PIL's limit: it only warns
    done = cli("verify", "--trusted", signers, bomb)
    assert "DecompressionBomb" not in done.stderr + done.stdout, done.stderr
    assert not done.stderr.strip(), done.stderr
    assert done.returncode == 1 and "像素过多" in done.stdout, done.stdout
