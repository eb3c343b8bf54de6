"""A report built from fixed plain data (no store, no clock, a fixed key): same input, same bytes.

Used by the golden-file tests and by the core tests of the report model and its verification:
`fixed_report` on a format-1 checklist, `rules_report` on the format-2 rules (two kinds of
site, 不适用, count-driven and capped deductions, 不得分, a veto, 加分, a typed score with and
without a reason, 自评得分).
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from cryptography.hazmat.primitives.asymmetric import ec

from inspect_tui.core import sshsig
from inspect_tui.core.checklist_loader import parse_checklist
from inspect_tui.core.history import Change, Entry, fold_fields, make_entry
from inspect_tui.core.hlc import HLC
from inspect_tui.core.qr_payload import PayloadFields, TrustedKey, encode_payload
from inspect_tui.core.record_id import make_record_id
from inspect_tui.core.records import Site, record_from_fields, site_from_fields
from inspect_tui.core.report import Report, Signer
from inspect_tui.core.report_build import ReportInputs, SiteData, build_report
from inspect_tui.core.scoring import site_result
from tests.checklist_samples import VALID
from tests.test_scoring_rules import V2

KEY = ec.derive_private_key(0x5EED_1234_ABCD, ec.SECP256R1())
OTHER_KEY = ec.derive_private_key(0xBAD_5EED, ec.SECP256R1())
INSPECTION = "insp-golden"
GENERATED = datetime(2024, 5, 20, 16, 30, 0, tzinfo=timezone(timedelta(hours=8)))
T0 = 1_716_100_000_000  # ms
SITES = {"S0000000A": ("马涧镇", "乡镇街道", "第一检查组"),
         "S0000000B": ("市司法局", "部门", "第二检查组")}
CHECKLIST = parse_checklist(VALID.encode(), "sample.toml")
EVIDENCE = {"name": "签到表.jpg", "size": 1234, "type": "image/jpeg", "caption": "现场签到表"}
EVIDENCE_SHA = "ab" * 32


def signer(key: ec.EllipticCurvePrivateKey = KEY, name: str = "张组长") -> Signer:
    return Signer(name, sshsig.fingerprint(key.public_key()), sshsig.key_id(key.public_key()).hex())


def trusted(key: ec.EllipticCurvePrivateKey = KEY, name: str = "张组长") -> list[TrustedKey]:
    return [TrustedKey(name, key.public_key())]


class _Chain:
    """One device's hash chain, with a fixed clock."""

    def __init__(self, device: str, author: str) -> None:
        self.device, self.author, self.entries = device, author, []  # type: ignore[var-annotated]

    def add(self, entity: str, changes: dict[str, object], minute: int,
            context: dict[str, str] | None = None, parents: tuple[str, ...] = ()) -> Entry:
        prev = self.entries[-1].hash if self.entries else ""
        entry = make_entry(device=self.device, seq=len(self.entries) + 1, prev=prev,
                           hlc=HLC(T0 + minute * 60_000), author=self.author, entity=entity,
                           changes={k: Change(v, parents) for k, v in changes.items()},
                           context=context)
        self.entries.append(entry)
        return entry


def entries(conflict: bool = False) -> list[Entry]:
    a, b = _Chain("DAAAAAAAA", "张明"), _Chain("DBBBBBBBB", "李华")
    a.add("inspection", {"title": "样例检查", "team": ["张明", "李华"]}, 0)
    for n, (sid, (name, kind, group)) in enumerate(SITES.items()):
        a.add(f"site:{sid}", {"name": name, "kind": kind, "group": group, "removed": False}, n)

    def record(chain: _Chain, sid: str, cid: str, minute: int, **values: object) -> Entry:
        rid = make_record_id(INSPECTION, sid, cid)
        return chain.add(f"record:{rid}", values, minute, {"site": sid, "criterion": cid})

    record(a, "S0000000A", "1.1", 10, points=5.5, methods=["查阅台账"], count=1,
           problems="典型案例数量不足", advice="每半年至少报送1篇典型案例",
           **{f"evidence:{EVIDENCE_SHA}": EVIDENCE})
    record(a, "S0000000A", "1.2", 11, points=4.0, methods=["听取汇报", "实地查看"])
    record(b, "S0000000B", "1.1", 12, deductions=[1], methods=["查阅台账"], count=3)
    if conflict:  # two inspectors scored 1.2 at 市司法局 without seeing each other's score
        record(a, "S0000000B", "1.2", 13, points=3.0)
        record(b, "S0000000B", "1.2", 14, points=2.0)
    return a.entries + b.entries


def inputs(*, conflict: bool = False, allow_conflicts: bool = False,
           key: ec.EllipticCurvePrivateKey = KEY) -> ReportInputs:
    history = entries(conflict)
    state = fold_fields(history)
    sites = []
    for sid in SITES:
        site: Site = site_from_fields(sid, state[f"site:{sid}"])
        records = {}
        for c in CHECKLIST.criteria:
            rid = make_record_id(INSPECTION, sid, c.id)
            records[c.id] = record_from_fields(rid, sid, c.id, state.get(f"record:{rid}", {}))
        result = site_result(CHECKLIST, {k: r.assessment() for k, r in records.items()},
                             site.kind or None)
        sites.append(SiteData(site, records, result))
    return ReportInputs(INSPECTION, "样例检查", ["张明", "李华"], CHECKLIST, sites, history,
                        signer(key), GENERATED, allow_conflicts)


# ---- format 2: the 考核细则 rules ------------------------------------------------------------

RULES_INSPECTION = "insp-rules"
RULES_CHECKLIST = parse_checklist(V2.encode(), "rules.toml")
RULES_SITES = {"S0000000C": ("兰江街道", "乡镇街道", "第一检查组"),
               "S0000000D": ("市公安局", "部门", "第二检查组")}
NA_REASON = "联席会议由市级统一召开，街道不单独召开"


def rules_entries() -> list[Entry]:
    a, b = _Chain("DCCCCCCCC", "王芳"), _Chain("DDDDDDDDD", "赵强")
    a.add("inspection", {"title": "考核细则检查", "team": ["王芳", "赵强"]}, 0)
    for n, (sid, (name, kind, group)) in enumerate(RULES_SITES.items()):
        a.add(f"site:{sid}", {"name": name, "kind": kind, "group": group, "removed": False}, n)

    def record(chain: _Chain, sid: str, cid: str, minute: int, **values: object) -> Entry:
        rid = make_record_id(RULES_INSPECTION, sid, cid)
        return chain.add(f"record:{rid}", values, minute, {"site": sid, "criterion": cid})

    street, bureau = RULES_SITES
    record(a, street, "1.1", 10, count=12, methods=["查阅台账"])
    record(a, street, "1.2", 11, na=NA_REASON)
    record(a, street, "1.3", 12, deductions=[0, 0, 0, 0, 0, 0, 1], self_points=4.0,
           methods=["听取汇报"], problems="学法记录缺六次", advice="每月组织一次集中学法")
    record(a, street, "1.4", 13, points=30.0, reason="制度不全，缺少考核办法", self_points=40.0)
    record(a, street, "2.1", 14, points=49.5, reason="示范村创评材料不全")
    record(a, street, "3.1", 15, deductions=[0, 0])
    record(b, bureau, "1.1", 20, count=9)
    record(b, bureau, "1.2", 21, count=0)
    record(b, bureau, "1.3", 22, points=3.0)  # below the maximum, no reason: no grade
    record(b, bureau, "1.4", 23, deductions=[1, 2, 3], self_points=38.0)  # veto; cap 10
    return a.entries + b.entries


def rules_inputs(key: ec.EllipticCurvePrivateKey = KEY) -> ReportInputs:
    history = rules_entries()
    state = fold_fields(history)
    sites = []
    for sid in RULES_SITES:
        site = site_from_fields(sid, state[f"site:{sid}"])
        records = {}
        for c in RULES_CHECKLIST.criteria:
            rid = make_record_id(RULES_INSPECTION, sid, c.id)
            records[c.id] = record_from_fields(rid, sid, c.id, state.get(f"record:{rid}", {}))
        result = site_result(RULES_CHECKLIST, {k: r.assessment() for k, r in records.items()},
                             site.kind or None)
        sites.append(SiteData(site, records, result))
    return ReportInputs(RULES_INSPECTION, "考核细则检查", ["王芳", "赵强"], RULES_CHECKLIST,
                        sites, history, signer(key), GENERATED)


def rules_report(key: ec.EllipticCurvePrivateKey = KEY) -> Report:
    return build_report(rules_inputs(key), qr_signer(key))


def qr_signer(key: ec.EllipticCurvePrivateKey = KEY):  # type: ignore[no-untyped-def]
    def sign(fields: PayloadFields) -> str:
        return encode_payload(fields, key)

    return sign


def fixed_report(**kw: object) -> Report:
    key = kw.pop("key", KEY)
    return build_report(inputs(key=key, **kw), qr_signer(key))  # type: ignore[arg-type]
