"""The overview summary never shows other figures than a full recompute: after random saves,
kind changes, removed and restored sites, merges and hand-edited values; and a summary made
for other code, another checklist or another inspection is not used."""

from __future__ import annotations

import json
import random
import shutil
from pathlib import Path

import pytest

from inspect_tui.store import summary
from inspect_tui.store.merge import merge_into
from inspect_tui.store.workspace import Workspace
from tests.summary.helpers import INSPECTION, KINDS, cache_of, make_workspace, start


def _scramble(root: Path, rng: random.Random, saves: int) -> None:
    """Random saves (points, ticks, counts, 不适用, vetoes, notes) and site changes."""
    with Workspace.open(root, author="张明") as ws:
        insp = ws.inspection(INSPECTION)
        for _ in range(saves):
            sites = insp.sites(include_removed=True)
            roll = rng.random()
            if roll < 0.06:
                insp.add_site(f"新点{rng.randrange(10**6)}", rng.choice(KINDS), "二组")
                continue
            site = rng.choice(sites)
            if roll < 0.12:
                insp.update_site(site.site_id, kind=rng.choice(KINDS))
                continue
            if roll < 0.16:
                insp.update_site(site.site_id, removed=not site.removed)
                continue
            criterion = rng.choice(insp.checklist.criteria_for(site.kind or None))
            values: dict[str, object] = {}
            if criterion.deductions and rng.random() < 0.4:
                picked = {rng.randrange(len(criterion.deductions)) for _ in range(2)}
                values["deductions"] = [i for i in picked for _ in range(
                    rng.randint(1, 3) if criterion.deductions[i].repeats else 1)]
            else:
                values["points"] = rng.choice([None, criterion.max,
                                               rng.randint(0, int(criterion.max * 2)) / 2])
            if criterion.target is not None and rng.random() < 0.5:
                values["count"] = rng.randrange(6)
            if criterion.na_allowed and rng.random() < 0.1:
                values["na"] = rng.choice(["", "本单位无此项"])
            if rng.random() < 0.2:
                values["problems"] = rng.choice(["", "台账不全"])
            if rng.random() < 0.1:
                values["reason"] = "材料缺失"
            if criterion.veto and rng.random() < 0.1:
                values["veto"] = rng.random() < 0.5
            insp.set_fields(site.site_id, criterion.id, **values)


@pytest.mark.parametrize("seed", range(3))
def test_random_saves_and_merges_show_what_a_full_recompute_shows(tmp_path: Path,
                                                                   seed: int) -> None:
    rng = random.Random(seed)
    lead = tmp_path / "lead"
    make_workspace(lead, sites=4)
    previewed_rounds = 0
    for round_ in range(6):
        if round_ % 3 == 2:  # a laptop's work merged in (a copy made before, then edited)
            laptop = tmp_path / f"laptop{round_}"
            shutil.copytree(lead, laptop, ignore=shutil.ignore_patterns(".lock", "device.json"))
            _scramble(laptop, rng, 12)
            _scramble(lead, rng, 3)  # meanwhile the lead saves too: conflicts may follow
            with Workspace.open(lead, author="组长") as ws:
                merge_into(ws, [laptop])
        else:
            _scramble(lead, rng, rng.randrange(1, 15))
        previewed, final, truth = start(lead)
        assert final == truth
        if previewed is not None:
            assert previewed == truth
            previewed_rounds += 1
    assert previewed_rounds >= 4  # every start after the first had a summary to use


def test_only_the_files_that_changed_are_read(tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    root = tmp_path / "ws"
    sites = make_workspace(root, sites=5)
    start(root)  # the first start writes the summary
    folded: list[str] = []
    real_fold = summary._fold
    monkeypatch.setattr(summary, "_fold", lambda head, path, raw: (
        folded.append(path.stem), real_fold(head, path, raw))[1])
    previewed, _, truth = start(root)
    assert previewed == truth and folded == []
    with Workspace.open(root, author="张明") as ws:
        ws.inspection(INSPECTION).set_fields(sites[2], "1.1", points=1)
    previewed, _, truth = start(root)
    assert previewed == truth and folded == [sites[2]]
    assert previewed[sites[2]].scored == 1


def test_a_hand_edited_value_is_read_as_the_full_open_reads_it(tmp_path: Path) -> None:
    root = tmp_path / "ws"
    sites = make_workspace(root, sites=2)
    with Workspace.open(root, author="张明") as ws:
        ws.inspection(INSPECTION).set_fields(sites[0], "1.1", points=2, problems="少")
    start(root)
    path = root / "inspections" / INSPECTION / "sites" / f"{sites[0]}.json"
    data = json.loads(path.read_bytes())
    for doc in data["history"].values():
        doc["changes"]["points"]["v"] = "两分"  # a type the app never writes: damage
        doc["changes"]["problems"]["v"] = ["不是文字"]
    path.write_text(json.dumps(data, ensure_ascii=False))
    previewed, final, truth = start(root)
    assert previewed == truth == final
    assert truth[sites[0]].scored == 0 and truth[sites[0]].problems == 0


def test_other_code_is_computed_again_and_then_kept(tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    root = tmp_path / "ws"
    make_workspace(root)
    start(root)
    assert start(root)[0] is not None
    monkeypatch.setattr(summary, "code_version", lambda: "f" * 32)
    previewed, final, truth = start(root)
    assert previewed is None and final == truth
    assert start(root)[0] == truth  # the summary was written again, for this code


@pytest.mark.parametrize("field, value", [
    ("checklist", "0" * 64), ("uid", "1" * 32), ("inspection", "insp-2"),
    ("version", 999), ("format", "inspect-tui/other"), ("code", "e" * 32),
])
def test_a_summary_made_for_something_else_is_not_used(tmp_path: Path, field: str,
                                                      value: object) -> None:
    root = tmp_path / "ws"
    make_workspace(root)
    start(root)
    doc = json.loads(cache_of(root).read_bytes())
    doc[field] = value
    cache_of(root).write_text(json.dumps(doc))
    previewed, final, truth = start(root)
    assert previewed is None and final == truth


def test_a_summary_of_another_inspection_is_not_used(tmp_path: Path) -> None:
    """Same id, same checklist, even the same site files copied: another identity."""
    a, b = tmp_path / "a", tmp_path / "b"
    sites = make_workspace(a)
    make_workspace(b)
    with Workspace.open(a, author="张明") as ws:
        ws.inspection(INSPECTION).set_fields(sites[0], "1.1", points=2)
    start(a)
    shutil.copy(cache_of(a), cache_of(b))
    previewed, final, truth = start(b)
    assert previewed is None and final == truth
    assert truth[next(iter(truth))].scored == 0


def _valid_then(change: str, path: Path) -> None:
    raw = path.read_bytes()
    doc = json.loads(raw)
    if change == "truncated":
        path.write_bytes(raw[: len(raw) // 2])
    elif change == "garbage":
        path.write_bytes(b"\x00\xff not json \xfe")
    elif change == "nested":
        path.write_bytes(b"[" * 200_000 + b"]" * 200_000)
    elif change == "empty":
        path.write_bytes(b"")
    elif change == "not an object":
        path.write_text("[1, 2, 3]")
    elif change == "bad figures":  # every entry malformed in a different way
        spoil = [(0, "x"), (1, 7), (2, True), (2, 10**6), (4, "1"), (5, 3), (6, -1)]
        for n, entry in enumerate(doc["sites"].values()):
            where, value = spoil[n % len(spoil)]
            entry[where] = value
        doc["files"] = {k: 5 for k in doc["files"]}
        path.write_text(json.dumps(doc))
    elif change == "huge":
        path.write_bytes(b" " * (summary.MAX_CACHE_BYTES + 1))
    elif change == "folder":
        path.unlink()
        path.mkdir()
    elif change == "device":
        path.unlink()
        path.symlink_to("/dev/zero")


@pytest.mark.parametrize("change", ["truncated", "garbage", "nested", "empty", "not an object",
                                    "bad figures", "huge", "folder", "device"])
def test_a_damaged_or_hostile_summary_only_means_computing_again(tmp_path: Path,
                                                                  change: str) -> None:
    root = tmp_path / "ws"
    sites = make_workspace(root, sites=7)
    with Workspace.open(root, author="张明") as ws:
        ws.inspection(INSPECTION).set_fields(sites[1], "1.1", points=1)
    start(root)
    _valid_then(change, cache_of(root))
    previewed, final, truth = start(root)
    assert final == truth and previewed in (None, truth)
    if change == "folder":  # a folder cannot be replaced by a file: still no error
        assert start(root)[0] is None
    else:  # written anew (a link replaced, not followed), and used
        assert start(root)[0] == truth
        assert cache_of(root).is_file() and not cache_of(root).is_symlink()


def test_an_entry_out_of_its_sites_file_means_no_summary(tmp_path: Path) -> None:
    """A record's entry moved by hand into another site's file counts for the record (the
    whole open folds every file), so per-file figures could differ: no summary is used."""
    root = tmp_path / "ws"
    a, b, _ = make_workspace(root)
    with Workspace.open(root, author="张明") as ws:
        insp = ws.inspection(INSPECTION)
        insp.set_fields(a, "1.1", points=1)
        insp.set_fields(b, "1.1", points=2)
    start(root)
    folder = root / "inspections" / INSPECTION / "sites"
    source, target = (json.loads((folder / f"{s}.json").read_bytes()) for s in (a, b))
    moved = source["history"].pop(next(iter(source["history"])))
    target["history"]["99"] = moved
    (folder / f"{a}.json").write_text(json.dumps(source, ensure_ascii=False))
    (folder / f"{b}.json").write_text(json.dumps(target, ensure_ascii=False))
    for _ in range(2):  # and none is written either
        previewed, final, truth = start(root)
        assert previewed is None and final == truth
    assert truth[a].scored == 1  # the moved entry still counts for its record
