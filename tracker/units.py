"""Units and comparators of the figures reports give, with what they mean in plain numbers."""

from __future__ import annotations

UNITS: dict[str, tuple[str, float]] = {
    # unit as written: (what it counts, multiplier to that base)
    "万亿元": ("CNY", 1e12),
    "亿元": ("CNY", 1e8),
    "万元": ("CNY", 1e4),
    "元": ("CNY", 1.0),
    "亿美元": ("USD", 1e8),
    "万美元": ("USD", 1e4),
    "美元": ("USD", 1.0),
    "万亿": ("CNY", 1e12),
    "%": ("percent", 1.0),
    "成": ("percent", 10.0),
    "个百分点": ("percentage points", 1.0),
    "个": ("count", 1.0),
    "户": ("count", 1.0),
    "家": ("count", 1.0),
    "项": ("count", 1.0),
    "只": ("count", 1.0),
    "台": ("count", 1.0),
    "套": ("count", 1.0),
    "台（套）": ("count", 1.0),
    "台套": ("count", 1.0),
    "座": ("count", 1.0),
    "条": ("count", 1.0),
    "所": ("count", 1.0),
    "件": ("count", 1.0),
    "款": ("count", 1.0),
    "部": ("count", 1.0),
    "批": ("count", 1.0),
    "种": ("count", 1.0),
    "颗": ("count", 1.0),
    "艘": ("count", 1.0),
    "架": ("count", 1.0),
    "架次": ("count", 1.0),
    "次": ("count", 1.0),
    "辆": ("count", 1.0),
    "张": ("count", 1.0),
    "片": ("count", 1.0),
    "支": ("count", 1.0),
    "人": ("people", 1.0),
    "名": ("people", 1.0),
    "人次": ("people", 1.0),
    "位": ("rank", 1.0),
    "倍": ("times", 1.0),
    "千瓦": ("kW", 1.0),
    "万千瓦": ("kW", 1e4),
    "亿千瓦": ("kW", 1e8),
    "千瓦时": ("kWh", 1.0),
    "万千瓦时": ("kWh", 1e4),
    "亿千瓦时": ("kWh", 1e8),
    "吨": ("t", 1.0),
    "万吨": ("t", 1e4),
    "亿吨": ("t", 1e8),
    "标箱": ("TEU", 1.0),
    "万标箱": ("TEU", 1e4),
    "亩": ("mu", 1.0),
    "万亩": ("mu", 1e4),
    "平方米": ("m²", 1.0),
    "万平方米": ("m²", 1e4),
    "平方公里": ("km²", 1.0),
    "公里": ("km", 1.0),
    "千米": ("km", 1.0),
    "P": ("PFLOPS", 1.0),
    "PFlops": ("PFLOPS", 1.0),
    "万P": ("PFLOPS", 1e4),
    "EFLOPS": ("PFLOPS", 1e3),
    "EFlops": ("PFLOPS", 1e3),
}
UNITS.update({f"万{unit}": (base, 1e4) for unit, (base, factor) in list(UNITS.items())
              if base in ("count", "people") and f"万{unit}" not in UNITS})
"""Counts in ten thousands as reports write them: 2.5万家, 1.2万座, 120万辆, 50万人次."""

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
    "余": "more than",
    "多": "more than",
}

SUFFIX_COMPARATORS = frozenset({"以上", "左右", "以内"})
"""Comparators written after the number (10%以上); the others go before it (突破3000亿元)."""


_VARIANTS = str.maketrans({"％": "%", "億": "亿", "萬": "万", "個": "个", "項": "项", "臺": "台", "輛": "辆", "噸": "吨",
                           "戶": "户", "園": "元", "园": "元", "圆": "元", "圓": "元", "(": "（", ")": "）", "Ｐ": "P"})
"""Other spellings of the characters of units: full-width, traditional, and 元's homophones (亿园 for 亿元)."""


def spelling_of(text: str) -> str | None:
    """The unit a misspelt one stands for (亿园 → 亿元, ％ → %, 萬輛 → 万辆), or None. Only a spelling, never a unit
    of another meaning: 亿美元 is not 'did you mean 亿元', 万辆 not 万项."""
    variant = text.strip().translate(_VARIANTS)
    return variant if variant in UNITS and variant != text else None
