"""The one reader of Chinese quantities (tracker/quantities.py): every form, each with its exact value."""

from __future__ import annotations

import pytest

from tracker.quantities import chinese_number, find_quantities, normalize, parse_number


@pytest.mark.parametrize("text, value, unit, normalized, base", [
    ("3000亿元", 3000, "亿元", 3e11, "CNY"),
    ("1.8万亿元", 1.8, "万亿元", 1.8e12, "CNY"),
    ("500万元", 500, "万元", 5e6, "CNY"),
    ("1,200元", 1200, "元", 1200, "CNY"),
    ("45.9%", 45.9, "%", 45.9, "percent"),
    ("112个", 112, "个", 112, "count"),
    ("30户", 30, "户", 30, "count"),
    ("200家", 200, "家", 200, "count"),
    ("9项", 9, "项", 9, "count"),
    ("4只", 4, "只", 4, "count"),
    ("1000台", 1000, "台", 1000, "count"),
    ("2.5万家", 2.5, "万家", 25000, "count"),
    ("1.2万座", 1.2, "万座", 12000, "count"),
    ("10万人", 10, "万人", 1e5, "people"),
])
def test_values_with_multipliers_and_units(text, value, unit, normalized, base):
    (q,) = find_quantities(text)
    assert (q.text, q.value, q.unit) == (text, value, unit)
    assert q.normalized == pytest.approx((normalized, base))
    assert normalize(value, unit) == pytest.approx((normalized, base))


@pytest.mark.parametrize("text, number, value, unit", [
    ("1/3", "1/3", 1 / 3, None),
    ("三分之一", "三分之一", 1 / 3, None),
    ("百分之三十", "三十", 30, "%"),
    ("十个", "十", 10, "个"),
    ("两倍", "两", 2, "倍"),
    ("上升一位", "一", 1, "位"),
    ("一百一十二个", "一百一十二", 112, "个"),
    ("九大专项", "九", 9, None),
])
def test_fractions_and_chinese_numerals_that_carry_a_figure(text, number, value, unit):
    (q,) = find_quantities(text)
    assert (q.number, q.unit) == (number, unit)
    assert q.value == pytest.approx(value)


@pytest.mark.parametrize("text, comparator", [
    ("超过30%", "超过"), ("超30%", "超过"), ("突破3000亿元", "突破"), ("10%以上", "以上"), ("不低于5%", "不低于"),
    ("不少于20个", "不少于"), ("达到92", "达到"), ("5%左右", "左右"), ("约2.5万家", "约"), ("力争100亿元", "力争"),
    ("近50家", "近"), ("3%以内", "以内"), ("12亿元", None),
])
def test_comparators(text, comparator):
    (q,) = find_quantities(text)
    assert q.comparator == comparator


def test_growth_share_and_the_estimate_flag():
    growth, share = find_quantities("集成电路产量增长21%、占全国18%")
    assert (growth.text, growth.value, growth.aspect) == ("21%", 21, "growth")
    assert (share.text, share.value, share.aspect) == ("18%", 18, "share")
    (estimate,) = find_quantities("预计全年增长12%左右")
    assert (estimate.value, estimate.comparator, estimate.aspect, estimate.estimate) == (12, "左右", "growth", True)
    (plain,) = find_quantities("增长12%")
    assert plain.estimate is False


@pytest.mark.parametrize("text", ["2025年1月14日", "第十六届人民代表大会第三次会议", "5G基站", "一批项目", "“一二三四五”发展路径",
                                  "一感两网", "第三代半导体", "11:55", "2024工作", "01/29"])
def test_dates_ordinals_and_names_are_not_figures(text):
    assert find_quantities(text) == []


def test_numbers_written_alone():
    assert parse_number("3000") == 3000 and parse_number("45.9") == 45.9 and parse_number("1/3") == pytest.approx(1 / 3)
    assert parse_number("三分之二") == pytest.approx(2 / 3) and parse_number("百分之三十") == 30
    assert [chinese_number(t) for t in ("十", "十二", "二十", "一百零五", "两千", "一万二", "三亿", "一万亿")] == \
        [10, 12, 20, 105, 2000, 12000, 3e8, 1e12]
    assert parse_number("3000亿元") is None and chinese_number("一二三") is None and parse_number("") is None


def test_the_model_and_the_downloads_read_figures_the_same_way():
    from tracker.model import Figure, Metric
    metric = Metric(measures="规模", value=Figure(text="1.8", value=parse_number("1.8")), unit="万亿元")
    assert metric.normalized == pytest.approx((1.8e12, "CNY"))


@pytest.mark.parametrize("text, figures", [
    # (number, unit, comparator) of each figure, as the report writes them
    ("集群规模突破万亿，", [("", "万亿", "突破")]),
    ("产业规模首次突破万亿元", [("", "万亿元", "突破")]),
    ("带动社会投资超千亿元", [("千", "亿元", "超过")]),
    ("新能源汽车产量达百万辆", [("百", "万辆", "达到")]),
    ("改造项目5.6万余个，", [("5.6", "万个", "余")]),
    ("出口增长两倍多。", [("两", "倍", "多")]),
    ("新增企业20多家", [("20", "家", "多")]),
    ("订单量均居全国第2位", [("2", "位", None)]),
    ("产值占比分别提升6.6个、5.7个百分点", [("6.6", "个百分点", None), ("5.7", "个百分点", None)]),
    ("分别增长49.8%、11.9%、36.4%", [("49.8", "%", None), ("11.9", "%", None), ("36.4", "%", None)]),
    ("无人机占全国超9成", [("9", "成", "超过")]),
    ("新增装机1200万千瓦", [("1200", "万千瓦", None)]),
    ("智能算力达到1830P", [("1830", "P", "达到")]),
    ("出口38亿美元", [("38", "亿美元", None)]),
    ("连续24个月增长", []),
    ("第十六届人民代表大会", []),
])
def test_figures_as_real_reports_write_them(text, figures):
    assert [(q.number, q.unit, q.comparator) for q in find_quantities(text)] == figures
