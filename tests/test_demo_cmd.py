"""`inspect-tui demo [DIR]`: the demo where every command looks, made without the app, never
twice and never into real data; a missing workspace says how to get one."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from inspect_tui import demo
from inspect_tui.core.errors import InspectError
from inspect_tui.store.workspace import Workspace
from tests.test_cli import cli


def snapshot(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and p.name != ".lock"}


def test_demo_goes_where_commands_look_and_a_second_run_changes_nothing(tmp_path: Path) -> None:
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / ".gitkeep").touch()  # as in a fresh clone
    r = cli("demo", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert "已在 data 创建演示工作区" in r.stdout and "demo-lanxi-qiwu" in r.stdout
    assert "inspect-tui export --key 张组长" in r.stdout  # the next steps need no --workspace
    listed = cli("site", "list", cwd=tmp_path)  # no --workspace: the default finds the demo
    assert listed.returncode == 0, listed.stderr
    # townships on their table (17 criteria), units on theirs (21); the last ones not visited
    assert "马涧镇" in listed.stdout and "17/17" in listed.stdout and "21/21" in listed.stdout
    assert "浙能兰溪电厂" in listed.stdout and "0/21" in listed.stdout
    before = snapshot(tmp_path / "data")
    again = cli("demo", cwd=tmp_path)
    assert again.returncode == 0 and "未做任何改动" in again.stdout
    assert snapshot(tmp_path / "data") == before
    assert not list((tmp_path / "data").glob(".demo-building-*"))


def test_demo_in_another_folder_names_it_in_the_next_steps(tmp_path: Path) -> None:
    r = cli("--lang", "en", "demo", "my demo", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert "inspect-tui --workspace 'my demo' export --key 张组长" in r.stdout
    with Workspace.open(tmp_path / "my demo", readonly=True) as ws:
        assert ws.inspection_ids() == [demo.DEMO_ID]
        assert len(ws.inspection(demo.DEMO_ID).sites()) == len(demo.SITES)


def test_a_workspace_with_real_inspections_is_refused_and_left_alone(tmp_path: Path) -> None:
    ws_root = tmp_path / "real"
    checklist = Path(__file__).resolve().parents[1] / "checklists" / "duty-system.toml"
    with Workspace.open(ws_root, author="张明") as ws:
        ws.create_inspection(checklist.read_bytes(), checklist.name, title="真实检查",
                             inspection_id="real-1")
    before = snapshot(ws_root)
    for args in (["demo", str(ws_root)], ["--workspace", str(ws_root), "demo"]):
        r = cli(*args, cwd=tmp_path)
        assert r.returncode == 2 and "Traceback" not in r.stderr
        assert str(ws_root) in r.stderr and "real-1" in r.stderr and "另一个文件夹" in r.stderr
        assert len(r.stderr.strip().splitlines()) == 1  # one paragraph
    assert snapshot(ws_root) == before
    assert not list(ws_root.glob(".demo-building-*"))


def test_a_folder_of_other_files_is_refused(tmp_path: Path) -> None:
    (tmp_path / "photos").mkdir()
    (tmp_path / "photos" / "img.jpg").write_bytes(b"x")
    r = cli("demo", "photos", cwd=tmp_path)
    assert r.returncode == 2 and "已有其他文件" in r.stderr and "Traceback" not in r.stderr
    assert sorted(p.name for p in (tmp_path / "photos").iterdir()) == ["img.jpg"]


def test_an_interrupted_build_leaves_no_half_demo(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    real_build = demo._build

    def build_then_stop(root: Path) -> None:
        real_build(root)  # everything written beside the workspace, then ^C before the move
        raise KeyboardInterrupt

    monkeypatch.setattr(demo, "_build", build_then_stop)
    with pytest.raises(KeyboardInterrupt):
        demo.create_demo(tmp_path / "data")
    assert not (tmp_path / "data" / "inspections" / demo.DEMO_ID).exists()
    assert not list((tmp_path / "data").glob(".demo-building-*"))
    monkeypatch.setattr(demo, "_build", real_build)
    assert demo.create_demo(tmp_path / "data") is True  # the next run builds it whole
    assert demo.create_demo(tmp_path / "data") is False


def test_missing_workspace_says_how_to_make_one(tmp_path: Path) -> None:
    r = cli("inspection", "list", cwd=tmp_path)
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert "data 不是 inspect-tui 工作区" in r.stderr
    assert "运行 inspect-tui demo 创建演示工作区" in r.stderr and "--workspace" in r.stderr
    assert str(tmp_path) in r.stderr  # a relative default is relative to this folder
    other = cli("--lang", "en", "-w", "elsewhere", "site", "list", cwd=tmp_path)
    assert other.returncode == 2 and "run inspect-tui demo elsewhere" in other.stderr


def test_the_old_demo_location_is_pointed_at(tmp_path: Path) -> None:
    demo.create_demo(tmp_path / "data" / "demo")  # where versions before this one put it
    r = cli("site", "list", cwd=tmp_path)
    assert r.returncode == 2 and "--workspace data/demo" in r.stderr


def test_demo_flag_opens_the_default_workspace(monkeypatch: pytest.MonkeyPatch) -> None:
    from inspect_tui.tui import app, launch

    opened: list[tuple[Path, bool]] = []

    class Stub:
        return_code = 0

        def run(self) -> None:
            pass

    def fake_make_app(workspace: Path, *, demo: bool = False) -> Stub:
        opened.append((workspace, demo))
        return Stub()

    monkeypatch.setattr(app, "make_app", fake_make_app)
    launch.launch(argparse.Namespace(demo=True, workspace=None))
    launch.launch(argparse.Namespace(demo=True, workspace="elsewhere"))
    assert opened == [(Path("data"), True), (Path("elsewhere"), True)]


def test_the_app_refuses_to_mix_the_demo_into_real_data(tmp_path: Path) -> None:
    checklist = Path(__file__).resolve().parents[1] / "checklists" / "duty-system.toml"
    with Workspace.open(tmp_path, author="张明") as ws:
        ws.create_inspection(checklist.read_bytes(), checklist.name, title="真实检查",
                             inspection_id="real-1")
    with pytest.raises(InspectError) as info:
        demo.ensure_demo(tmp_path)
    assert info.value.key == "tour.demo_beside_real"
    with Workspace.open(tmp_path, readonly=True) as ws:
        assert ws.inspection_ids() == ["real-1"]
