"""Chinese quantities, read one way everywhere: validation (a metric's value), data downloads and charts (values in
base units), comparison of results with targets, and drafts (figures found in a report's text).

Reads Arabic and Chinese numerals (3000, 1.8, 1,200, 十, 两, 一百一十二), fractions (1/3, 三分之一) and percentages
(30%, 百分之三十), with the 万/亿/万亿 multipliers of their unit (1.8万亿元 → 1.8e12 CNY), the comparator
around them (超过, 突破, 以上, 不低于, 左右, 约, 力争 …), what kind of figure it is (增长21% is a growth, 占全国18% a
share) and the 预计 estimate flag.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass

from .units import COMPARATORS, SUFFIX_COMPARATORS, UNITS

_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_TENS = {"十": 10, "百": 100, "千": 1000}
_CN = "零〇一二两三四五六七八九十百千"
_ARABIC = r"\d+(?:,\d{3})*(?:\.\d+)?"

COMPARATOR_SPELLINGS = {**{c: c for c in COMPARATORS}, "超": "超过", "逾": "超过", "达": "达到", "不到": "以内"}
"""Comparators as reports spell them → the comparator a metric records (units.COMPARATORS)."""

_BEFORE = "|".join(sorted((c for c in COMPARATOR_SPELLINGS if c not in SUFFIX_COMPARATORS), key=len, reverse=True))
_BEFORE_CHARS = "".join(sorted({c[-1] for c in COMPARATOR_SPELLINGS if c not in SUFFIX_COMPARATORS}))
"""A multiplier with no number after a comparator is one of it: 突破万亿元 is 1万亿元."""
_AFTER = "|".join(sorted(SUFFIX_COMPARATORS, key=len, reverse=True))
_UNIT = "|".join(sorted((re.escape(u) for u in UNITS), key=len, reverse=True))
_COUNT_UNITS = "个户家项只台座条位倍成张辆"
_BIG_UNITS = "|".join(sorted((re.escape(u) for u in UNITS if u[0] in "万亿"), key=len, reverse=True))
_SMALL_UNITS = "".join(sorted({u[1] for u in UNITS if len(u) == 2 and u[0] in "万亿"}))
_ABOUT_MORE = "余多"
"""Written inside a figure, after its multiplier: 5.6万余个 (more than 56,000), 两倍多."""
_QUANTITY = re.compile(
    rf"(?P<estimate>预计)?(?P<before>{_BEFORE})?"
    rf"(?:百分之(?P<cn_percent>[{_CN}]+)"
    rf"|(?P<cn_den>[{_CN}]+)分之(?P<cn_num>[{_CN}]+)"
    rf"|(?P<fraction>(?<![\d/])[1-9]\d*/[1-9]\d*(?![\d/]))"
    rf"|(?P<arabic>{_ARABIC})\s*(?:(?P<more_big>[万亿]?)(?P<more>[{_ABOUT_MORE}])(?P<more_unit>[{_SMALL_UNITS}]))?(?P<unit>{_UNIT})?"
    rf"|(?P<cn>[{_CN}]+)(?:(?P<cn_more>[{_ABOUT_MORE}])?(?P<cn_unit>{_BIG_UNITS}|[{_COUNT_UNITS}])|(?P<cn_big>大)(?=[\u4e00-\u9fff]))"
    rf"|(?<=[{_BEFORE_CHARS}])(?P<bare>{_BIG_UNITS}))"
    rf"(?P<after>{_AFTER})?")
_NOT_A_FIGURE = re.compile(r"[年月日届次号时分秒代期季级:：]|[A-Za-z]")
"""What follows a number that is a date, an ordinal or a name (2025年, 十六届, 5G), not a figure."""
_DURATION_AFTER = ("月", "季", "周", "小时")
_GROWTH = ("增长", "增速", "提高", "提升", "上升", "下降", "减少")
_SHARE = ("占全国", "占全省", "占全市", "占比", "占")


@dataclass(frozen=True)
class Quantity:
    """A figure as a report writes it, and what it means."""

    text: str
    """As written, e.g. 突破3000亿元."""
    number: str
    """The number alone as written: 3000, 1.8, 1/3, 三分之一, 一."""
    value: float
    """The number's value: 3000.0 (the unit's multiplier not applied)."""
    unit: str | None
    comparator: str | None
    estimate: bool
    aspect: str | None
    """growth (增长21%), share (占全国18%) or None."""
    start: int
    end: int

    @property
    def normalized(self) -> tuple[float, str | None]:
        if self.unit is None and self.text.endswith("大"):
            return self.value, "count"  # 九大专项攻关行动: nine actions
        return normalize(self.value, self.unit)


def normalize(value: float, unit: str | None) -> tuple[float, str | None]:
    """A value in its base unit: (3000, 亿元) → (3e11, 'CNY'); a figure without a unit stays as it is."""
    if not unit:
        return value, None
    base, factor = UNITS[unit]
    return value * factor, base


NUMBER_PATTERN = (rf"^(?:{_ARABIC}|\d+/[1-9]\d*|百分之[{_CN}]+|[{_CN}]+分之[{_CN}]+"
                  rf"|(?=[{_CN}万亿])(?:[{_CN}]+亿)?(?:[{_CN}]+万)?[{_CN}]*)$")
"""The forms parse_number reads, as a regular expression: the JSON Schema of an entry accepts the same values
(3000, 1,200, 1.8, 1/3, 三分之一, 十二). parse_number then also requires a Chinese numeral to make sense."""


def parse_number(text: str) -> float | None:
    """The value of a number written alone: 3000, 1.8, 1,200, 1/3, 十二, 一百零五, 三分之一, 百分之三十 (→ 30);
    None if it is not one."""
    text = text.strip()
    if re.fullmatch(_ARABIC, text):
        return float(text.replace(",", ""))
    if m := re.fullmatch(r"(\d+)/([1-9]\d*)", text):
        return int(m[1]) / int(m[2])
    if m := re.fullmatch(rf"百分之([{_CN}]+)", text):
        return chinese_number(m[1])
    if m := re.fullmatch(rf"([{_CN}]+)分之([{_CN}]+)", text):
        den, num = chinese_number(m[1]), chinese_number(m[2])
        return num / den if den and num is not None else None
    return chinese_number(text)


def chinese_number(text: str) -> float | None:
    """十 → 10, 十二 → 12, 二十 → 20, 一百零五 → 105, 两千 → 2000, 一万二 → 12000, 三亿 → 3e8; None otherwise."""
    if not text or any(ch not in _DIGITS and ch not in _TENS and ch not in "万亿" for ch in text):
        return None
    for big, factor in (("亿", 1e8), ("万", 1e4)):
        if big in text:
            left, _, right = text.partition(big)
            head = chinese_number(left) if left else None
            if head is None:
                return None
            tail = chinese_number(right) if right else 0
            if tail is None:
                return None
            if right and len(right) == 1 and right in _DIGITS:  # 一万二: the digit counts thousands
                tail *= factor / 10
            return head * factor + tail
    total, digit = 0, None
    for ch in text:
        if ch in _DIGITS:
            if digit is not None and digit != 0:
                return None  # 一二三: a name (一二三四五), not a number
            digit = _DIGITS[ch]
        else:
            total += (1 if digit is None else digit) * _TENS[ch]
            digit = None
    return float(total + (digit or 0))


def find_quantities(text: str) -> list[Quantity]:
    """Every figure in ``text``, in order: 突破3000亿元, 增长21%, 占全国18%, 10个, 上升一位, 三分之一, 九大 …"""
    found = []
    for m in _QUANTITY.finditer(text):
        quantity = _quantity(m, text)
        if quantity is not None:
            found.append(quantity)
    return _shared_units(found, text)


def _quantity(m: re.Match, text: str) -> Quantity | None:
    following = text[m.end("arabic"):m.end("arabic") + 1] if m["arabic"] and not m["unit"] and not m["more"] else ""
    preceding = text[max(0, m.start() - 1):m.start()]
    rank = preceding == "第" and (m["unit"] == "位" or m["cn_unit"] == "位")  # 第2位: a rank, not an ordinal
    if m["arabic"] and not rank and (_NOT_A_FIGURE.match(following) or preceding in ("第", ".", ":", "：")
                                     or preceding.isascii() and preceding.isalnum()):
        return None
    if m["cn"] and preceding == "第" and not rank:
        return None
    more = m["more"] or m["cn_more"]
    if m["cn_percent"]:
        number, value, unit = m["cn_percent"], chinese_number(m["cn_percent"]), "%"
    elif m["cn_den"]:
        number = f"{m['cn_den']}分之{m['cn_num']}"
        value, unit = parse_number(number), None
    elif m["fraction"]:
        number, value, unit = m["fraction"], parse_number(m["fraction"]), None
    elif m["arabic"]:
        number, value = m["arabic"], parse_number(m["arabic"])
        unit = (m["more_big"] or "") + m["more_unit"] if m["more"] else m["unit"]
    elif m["bare"]:
        number, value, unit = "", 1.0, m["bare"]
    else:
        number, value, unit = m["cn"], chinese_number(m["cn"]), m["cn_unit"]
    if value is None or unit is not None and unit not in UNITS:
        return None
    if text[m.end():m.end() + 1] in _DURATION_AFTER and unit in ("个", None) or text[max(0, m.start() - 2):m.start()] == "连续":
        return None  # a duration (24个月, 连续5年), not a figure of the industry
    comparator = COMPARATOR_SPELLINGS.get(m["before"] or "") or m["after"] or more
    if unit == "倍" and text[m.end():m.end() + 1] == "多":
        comparator = comparator or "多"  # 两倍多
    lead = text[max(0, m.start() - 6):m.start()]
    aspect = ("growth" if any(w in lead for w in _GROWTH) else "share" if any(w in lead for w in _SHARE) else None)
    if m["arabic"] and not unit and not comparator and not aspect and "." not in number:
        return None  # a bare whole number (a year, a count with no unit, a page's furniture) says too little
    estimate = bool(m["estimate"]) or "预计" in text[max(0, m.start() - 12):m.start()]
    return Quantity(text=m.group(), number=number, value=value, unit=unit, comparator=comparator, estimate=estimate,
                    aspect=aspect, start=m.start(), end=m.end())


def _shared_units(found: list[Quantity], text: str) -> list[Quantity]:
    """Figures listed before the one that carries the unit take it: 分别提升6.6个、5.7个百分点 is two figures in
    个百分点; 增长49.8%、11.9% keeps each figure's own unit."""
    out = list(found)
    for i in range(len(out) - 2, -1, -1):
        first, last = out[i], out[i + 1]
        between = text[first.end:last.start]
        if between in ("、", "和", "与", "及") and last.unit and (first.unit is None or (
                last.unit != first.unit and last.unit.startswith(first.unit))):
            out[i] = dataclasses.replace(first, unit=last.unit, end=first.end)
    return out
