"""Reading tags from each AWS API's own shape into one plain dict."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any


def from_pairs(pairs: Iterable[Mapping[str, Any]], key: str = "Key", value: str = "Value") -> dict[str, str]:
    """Tags given as [{"Key": k, "Value": v}, ...] (KMS spells them TagKey/TagValue)."""
    return {str(pair[key]): str(pair.get(value, "")) for pair in pairs}


def expected_tags(example_tags: Mapping[str, str], run_tags: Mapping[str, str]) -> dict[str, str]:
    """What every resource of a run must carry: the example's own tags plus the provider default tags."""
    return {**example_tags, **run_tags}
