"""The overview reads assessments straight off the folded fields: the same as building each
Record and asking it, for any stored value (damaged ones included)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from inspect_tui.core.history import Change, fold_fields, make_entry
from inspect_tui.core.hlc import HLC
from inspect_tui.core.records import RECORD_DEFAULTS, assessment_from_fields, record_from_fields
from inspect_tui.core.site_summary import in_place, main_in_place

scalars = st.one_of(st.none(), st.booleans(), st.integers(-5, 10**20),
                    st.floats(allow_nan=False, allow_infinity=False), st.text(max_size=4))
values = st.one_of(scalars, st.lists(st.one_of(st.integers(-2, 5), st.booleans(),
                                               st.text(max_size=2)), max_size=4),
                   st.dictionaries(st.text(max_size=2), scalars, max_size=2))
fields = st.dictionaries(st.sampled_from([*RECORD_DEFAULTS, "evidence:" + "a" * 64]), values,
                         max_size=len(RECORD_DEFAULTS))


@settings(max_examples=400, deadline=None)
@given(st.lists(fields, min_size=0, max_size=3))
def test_assessment_from_fields_is_the_records_assessment(writes: list[dict[str, object]]) -> None:
    entries = [make_entry(device=f"d{n % 2}", seq=n + 1, prev="", hlc=HLC(1000 + n // 2, 0),
                          author="张明", entity="record:R", changes={
                              k: Change(v) for k, v in changes.items()})
               for n, changes in enumerate(writes)]  # two devices: concurrent, so conflicts
    folded = fold_fields(entries).get("record:R", {})
    assert assessment_from_fields(folded) == record_from_fields("R", "S", "1.1",
                                                                folded).assessment()


def test_in_place() -> None:
    rid = {"1.1": "R-A", "1.2": "R-B"}.__getitem__
    ok = [("record:R-A", {"site": "S1", "criterion": "1.1"}),
          ("rectify:R-B", {"site": "S1", "criterion": "1.2"}), ("visit:S1", {"site": "S1"})]
    assert in_place(ok, "S1", rid)
    for bad in [("record:R-A", {"site": "S2", "criterion": "1.1"}),  # another site's
                ("record:R-B", {"site": "S1", "criterion": "1.1"}),  # id of another criterion
                ("visit:S2", {"site": "S1"}), ("site:S1", {"site": "S1"}),
                ("inspection", {}), (None, {}), ("record:R-A", "S1")]:
        assert not in_place([*ok, bad], "S1", rid)
    assert main_in_place(["inspection", "site:S1"])
    assert not main_in_place(["site:S1", "record:R-A"])
