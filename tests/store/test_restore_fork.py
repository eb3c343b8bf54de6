"""`doctor --restore` never forks a device's history, refuses a healthy file, exits 0 when done.

Issue 15, 2.1: a laptop's save already packed for the lead was lost with a truncated site file;
restoring the backup and saving again reused that sequence number with other content, and the
lead refused every later pack from the laptop ("有两条不同的第 1 条历史记录").
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from inspect_tui.cli.main import main
from inspect_tui.core.history import verify_chains
from inspect_tui.store.doctor import Level, check_workspace
from tests.merge.helpers import copy_laptop, entries, make_lead, opened, snapshot


def _cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    capsys.readouterr()
    rc = main([*args])
    out, err = capsys.readouterr()
    return rc, out, err


def _site_file(root: Path, site: str) -> Path:
    return root / "inspections" / "insp-1" / "sites" / f"{site}.json"


def _truncate(path: Path) -> None:
    path.write_bytes(path.read_bytes()[:100])


def test_restore_then_save_is_taken_by_the_lead(tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    lead = tmp_path / "lead"
    (site,) = make_lead(lead)
    laptop = copy_laptop(lead, tmp_path / "laptop")
    with opened(laptop) as insp:
        insp.set_fields(site, "1.1", points=5)
        insp.set_fields(site, "1.2", points=4)  # the save the backup will lack
        old_device = insp.device
    first = tmp_path / "first.pack"
    assert _cli(capsys, "-w", str(laptop), "pack", "--out", str(first))[0] == 0
    assert _cli(capsys, "-w", str(lead), "merge", str(first))[0] == 0
    before = entries(laptop)

    path = _site_file(laptop, site)
    _truncate(path)
    rc, out, err = _cli(capsys, "-w", str(laptop), "doctor", "--restore", str(path))
    assert rc == 0, out + err
    assert "已恢复" in out and "Traceback" not in err
    told = out

    with opened(laptop) as insp:
        assert insp.record(site, "1.1").points == 5  # what the backup holds
        insp.set_fields(site, "1.1", problems="台账不全")
    second = tmp_path / "second.pack"
    assert _cli(capsys, "-w", str(laptop), "pack", "--out", str(second))[0] == 0
    rc, out, err = _cli(capsys, "-w", str(lead), "merge", str(second))
    assert "有两条不同" not in out + err
    assert rc == 0, out + err

    new = [e for h, e in entries(laptop).items() if h not in before]
    assert len(new) == 1 and new[0].device != old_device
    # the new entry takes no slot (device, seq) that left this machine in the first pack
    assert (new[0].device, new[0].seq) not in {(e.device, e.seq) for e in before.values()}
    rc, out, _ = _cli(capsys, "-w", str(laptop), "doctor")
    assert rc == 0 and "0 个错误" in out
    with opened(lead, "组长") as insp:
        record = insp.record(site, "1.1")
        assert record.points == 5 and record.problems == "台账不全"
        assert insp.record(site, "1.2").points == 4  # the entry the laptop lost is kept
        assert verify_chains(insp.all_entries()) == []
        lead_hashes = {e.hash for e in insp.all_entries()}
    assert set(before) | {new[0].hash} <= lead_hashes  # the old and the new entries
    assert not [f for f in check_workspace(lead) if f.level is Level.ERROR]
    assert "新的设备编号" in told and old_device in told  # the user is told why


def test_restore_of_a_healthy_file_is_refused_and_changes_nothing(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = tmp_path / "ws"
    (site,) = make_lead(root)
    with opened(root) as insp:
        insp.set_fields(site, "1.1", points=5)
        insp.set_fields(site, "1.2", points=4)
    assert (root / "device.json").exists()
    path = _site_file(root, site)
    before = snapshot(root)
    rc, _, err = _cli(capsys, "-w", str(root), "doctor", "--restore", str(path))
    assert rc == 2
    assert str(path) in err and "完好" in err and "什么都没有改动" in err
    assert "Traceback" not in err
    assert snapshot(root) == before  # the last save is still there; no device change
    with opened(root) as insp:
        assert insp.record(site, "1.2").points == 4


def test_restore_that_succeeds_exits_0_even_when_the_backup_lacks_an_entry(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = tmp_path / "ws"
    (site,) = make_lead(root)
    with opened(root) as insp:
        insp.set_fields(site, "1.1", points=5)  # only in the site file: its backup lacks it
        insp.add_site("兰江街道", "乡镇街道")  # a later entry of the chain, elsewhere
    path = _site_file(root, site)
    _truncate(path)
    rc, out, err = _cli(capsys, "-w", str(root), "doctor", "--restore", str(path))
    assert rc == 0, out + err
    assert "已恢复" in out and "Traceback" not in err
    assert json.loads(path.read_bytes())["meta"]  # the backup is in place



def test_lead_takes_a_pack_whose_lost_entry_it_already_holds(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The backup lacks an entry in the middle of the laptop's chain (later saves went to other
    files): the lead holds that entry from the first pack, so the chain is whole there."""
    lead = tmp_path / "lead"
    (site,) = make_lead(lead)
    laptop = copy_laptop(lead, tmp_path / "laptop")
    with opened(laptop) as insp:
        insp.set_fields(site, "1.1", points=5)  # only in the site file: its backup lacks it
    first = tmp_path / "first.pack"
    assert _cli(capsys, "-w", str(laptop), "pack", "--out", str(first))[0] == 0
    assert _cli(capsys, "-w", str(lead), "merge", str(first))[0] == 0
    with opened(laptop) as insp:
        second_site = insp.add_site("兰江街道", "乡镇街道").site_id  # later, in inspection.json
    path = _site_file(laptop, site)
    _truncate(path)
    assert _cli(capsys, "-w", str(laptop), "doctor", "--restore", str(path))[0] == 0
    with opened(laptop) as insp:
        insp.set_fields(second_site, "1.2", points=3)

    second = tmp_path / "second.pack"
    assert _cli(capsys, "-w", str(laptop), "pack", "--out", str(second))[0] == 0
    rc, out, err = _cli(capsys, "-w", str(lead), "merge", str(second))
    assert rc == 0, out + err
    with opened(lead, "组长") as insp:
        assert insp.record(site, "1.1").points == 5
        assert [s.name for s in insp.sites()] == ["马涧镇", "兰江街道"]
        assert insp.record(second_site, "1.2").points == 3
        assert verify_chains(insp.all_entries()) == []
