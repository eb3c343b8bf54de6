"""Hypothesis strategies that damage things the way disks, cables, people and attackers do."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

BYTE_OPS = ("flip", "set", "delete", "insert", "truncate", "duplicate")


@st.composite
def mutated_bytes(draw: st.DrawFn, original: bytes, max_ops: int = 4) -> bytes:
    """`original` after 1..max_ops random edits: bit flips, overwrites, cuts, insertions."""
    data = bytearray(original)
    for _ in range(draw(st.integers(1, max_ops))):
        op = draw(st.sampled_from(BYTE_OPS))
        at = draw(st.integers(0, max(len(data) - 1, 0)))
        if op == "flip" and data:
            data[at] ^= 1 << draw(st.integers(0, 7))
        elif op == "set" and data:
            data[at] = draw(st.integers(0, 255))
        elif op == "delete":
            del data[at:at + draw(st.integers(1, 64))]
        elif op == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=32))
        elif op == "truncate":
            del data[at:]
        elif op == "duplicate":
            data[at:at] = data[at:at + draw(st.integers(1, 256))]
    return bytes(data)


def _paths(value: Any, here: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [here]
    if isinstance(value, dict):
        for key, child in value.items():
            found += _paths(child, (*here, key))
    elif isinstance(value, list):
        for n, child in enumerate(value):
            found += _paths(child, (*here, n))
    return found


def json_values(*, nulls: bool = True) -> st.SearchStrategy[Any]:
    """Any JSON value (or, with nulls=False, any TOML value) of modest size."""
    scalars: list[st.SearchStrategy[Any]] = [
        st.booleans(), st.integers(-2**63, 2**63 - 1), st.text(max_size=20),
        st.floats(allow_nan=False, allow_infinity=False), st.sampled_from(["", "1.1", "S", "0"])]
    if nulls:
        scalars.append(st.none())
    return st.recursive(st.one_of(scalars), lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=8), inner, max_size=3)),
        max_leaves=6)


@st.composite
def mutated_tree(draw: st.DrawFn, tree: Any, *, nulls: bool = True, max_ops: int = 3) -> Any:
    """A deep copy of a parsed JSON/TOML tree with 1..max_ops nodes replaced, removed or added."""
    import copy

    tree = copy.deepcopy(tree)
    for _ in range(draw(st.integers(1, max_ops))):
        path = draw(st.sampled_from(_paths(tree)))
        if not path:
            continue
        parent = tree
        for step in path[:-1]:
            parent = parent[step]
        op = draw(st.sampled_from(["replace", "remove", "add"]))
        if op == "replace":
            parent[path[-1]] = draw(json_values(nulls=nulls))
        elif op == "remove":
            del parent[path[-1]]
        elif isinstance(parent, dict):
            parent[draw(st.text(max_size=8))] = draw(json_values(nulls=nulls))
        else:
            parent.insert(path[-1], draw(json_values(nulls=nulls)))
    return tree
