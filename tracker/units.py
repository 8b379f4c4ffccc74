"""Units and comparators of the figures reports give, with what they mean in plain numbers."""

from __future__ import annotations

UNITS: dict[str, tuple[str, float]] = {
    # unit as written: (what it counts, multiplier to that base)
    "万亿元": ("CNY", 1e12),
    "亿元": ("CNY", 1e8),
    "万元": ("CNY", 1e4),
    "元": ("CNY", 1.0),
    "%": ("percent", 1.0),
    "个": ("count", 1.0),
    "户": ("count", 1.0),
    "家": ("count", 1.0),
    "项": ("count", 1.0),
    "只": ("count", 1.0),
    "台": ("count", 1.0),
    "座": ("count", 1.0),
    "条": ("count", 1.0),
    "万人": ("people", 1e4),
    "人": ("people", 1.0),
    "位": ("rank", 1.0),
    "倍": ("times", 1.0),
}
UNITS.update({f"万{unit}": ("count", 1e4) for unit, (base, _) in list(UNITS.items()) if base == "count"})
"""Counts in ten thousands as reports write them: 2.5万家, 1.2万座."""

COMPARATORS: dict[str, str] = {
    # as written in reports: English reading
    "超过": "more than",
    "突破": "passing",
    "以上": "or more",
    "不低于": "no less than",
    "不少于": "no fewer than",
    "达到": "reaching",
    "力争": "striving for",
    "左右": "about",
    "约": "about",
    "近": "nearly",
    "以内": "within",
}

SUFFIX_COMPARATORS = frozenset({"以上", "左右", "以内"})
"""Comparators written after the number (10%以上); the others go before it (突破3000亿元)."""
