"""`python3 build.py draft`: a report's plain text → a draft entry that `check` refuses until a person reviews it.

The made-up text (tests/fixtures/draft/) holds every kind of statement; the seed article's paragraphs, where the
seed is at hand (../shared/seeds/, beside the project), measure the recall against the shipped entries."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml

from conftest import MINI, ROOT, run_build
from conftest import SEED as SEED_CORPUS
import datetime as dt

from tracker.draft import draft_candidates
from tracker.quantities import find_quantities
from tracker.reporttext import date_in_address, prepare, read_header
from tracker.load import load_content
from tracker.validate import validate

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "draft" / "beta-2026.txt"
SEED = ROOT.parent / "shared" / "seeds" / "000_5aa94c612f517020.txt"


@pytest.fixture
def mini(tmp_path) -> Path:
    shutil.copytree(MINI, tmp_path / "content")
    return tmp_path / "content"


def front_matter(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8").split("---\n")[1])


def test_draft_finds_the_header_every_kind_and_every_figure(mini):
    result = run_build("draft", str(FIXTURE), "--content", str(mini))  # region and year from the dateline
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("draft: wrote content/reports/2026/beta.md: 6 candidate statements with 7 figures")
    entry = front_matter(mini / "reports" / "2026" / "beta.md")
    assert entry["draft"] is True
    assert {k: entry[k] for k in ("session", "speaker", "speaker_title")} == {
        "session": "湖州市第一届人民代表大会第三次会议", "speaker": "测试人", "speaker_title": "市长"}
    assert str(entry["delivered"]) == "2026-01-20"
    got = [(s["kind"], s["year"], s["industries"], [(m["measures"], m["value"], m.get("unit"), m.get("comparator"),
                                                       m.get("estimate", False)) for m in s.get("metrics", [])])
           for s in entry["statements"]]
    assert got == [  # the review of 2025 gives results and funds of 2025; the tasks of 2026, targets and plans
        ("result", 2025, ["chips"], [("测试芯片产业产值增速", "12.5", "%", None, False),
                                     ("测试芯片产业产值占全省比重", "三分之一", None, "达到", False)]),
        ("fund", 2025, ["drones"], [("总规模", "50", "亿元", None, False)]),
        ("target", 2026, ["chips"], [("测试芯片产业规模", "1000", "亿元", "突破", False)]),
        ("target", 2026, ["drones"], [("起降点数量", "十", "个", None, False)]),
        ("project", 2026, ["chips"], [("重大项目数量", "8", "个", None, False)]),
        ("target", 2026, ["tech"], [("测试技术产业增速", "8", "%", "左右", True)]),
    ]
    assert all(s["summary"] is None for s in entry["statements"])  # a person writes them


def test_check_refuses_a_draft_and_lists_what_is_left(mini):
    run_build("draft", str(FIXTURE), "--content", str(mini))
    check = run_build("check", "--content", str(mini))
    lines = check.stderr.splitlines()
    assert check.returncode == 1
    assert lines[0] == ("content/reports/2026/beta.md:8: draft: this entry is a draft that `python3 build.py draft` "
                        "wrote: check every statement against the report, write each summary in your own words, "
                        "delete the candidates that say nothing, then remove the line 'draft: true'")
    assert sum("summary: is empty; fill it in" in line for line in lines) == 6
    assert lines[-1] == "check: 11 problem(s) in 1 file(s); fix them and run again"  # draft, 6 summaries, source


def review(path: Path) -> None:
    """What a reviewer does to a draft of the made-up text, in the fewest steps: summaries, the source, judgements."""
    text = path.read_text(encoding="utf-8").replace("draft: true\n", "")
    text = re.sub(r"summary:\n", "summary: 审阅后用自己的话写的概括。\n", text)
    text = re.sub(r"  - publisher:.*\n    title:.*\n    date:.*\n    url:.*\n",
                  "  - publisher: 测试出版社\n    title: 测试来源\n    date: 2026-01-21\n", text)
    text = text.replace("  # - beta-2025-", "  - beta-2025-")  # the made-up report says nothing of them
    path.write_text(text, encoding="utf-8")


def test_a_reviewed_draft_passes(mini):
    run_build("draft", str(FIXTURE), "--content", str(mini))
    path = mini / "reports" / "2026" / "beta.md"
    assert "silent_on:\n  # - beta-2025-2\n  # - beta-2025-3\n" in path.read_text(encoding="utf-8")
    review(path)
    check = run_build("check", "--content", str(mini))
    assert check.returncode == 0, check.stderr


def test_two_reports_in_one_run_and_a_draft_never_blocks_the_next(mini, tmp_path):
    other = tmp_path / "alpha-2026.txt"
    other.write_text(FIXTURE.read_text(encoding="utf-8").replace("湖州市第一届", "浙江省第一届").replace("湖州市市长", "省长"),
                     encoding="utf-8")
    result = run_build("draft", str(FIXTURE), str(other), "--content", str(mini))
    assert result.returncode == 0, result.stderr
    assert [line.split(":")[1].strip() for line in result.stdout.splitlines()] == [
        "wrote content/reports/2026/beta.md", "wrote content/reports/2026/alpha.md"]
    # both drafts are in content/, unreviewed: a third report is still drafted
    third = tmp_path / "2027" / "beta.md"
    third.parent.mkdir()
    third.write_text(FIXTURE.read_text(encoding="utf-8").replace("2026年1月20日", "2027年1月20日"), encoding="utf-8")
    result = run_build("draft", str(third), "--content", str(mini))
    assert result.returncode == 0 and "wrote content/reports/2027/beta.md" in result.stdout, result.stderr
    assert front_matter(mini / "reports" / "2027" / "beta.md")["statements"][0]["id"] == "beta-2027-1"


def test_redrafting_a_reviewed_entry_keeps_every_published_id(mini):
    run_build("draft", str(FIXTURE), "--content", str(mini))
    path = mini / "reports" / "2026" / "beta.md"
    review(path)
    text = path.read_text(encoding="utf-8")
    # the reviewer kept candidates 1, 3 and 6 and deleted the others; id 7 was retired once
    entry = front_matter(path)
    kept = [s for s in entry["statements"] if s["id"] in ("beta-2026-1", "beta-2026-3", "beta-2026-6")]
    blocks = text.split("  - id: ")
    text = blocks[0] + "".join("  - id: " + b for b in blocks[1:] if b.split("\n")[0] in ("beta-2026-1", "beta-2026-3",
                                                                                         "beta-2026-6"))
    if not text.rstrip().endswith("---"):
        text = text.rstrip() + "\n---\n"
    path.write_text(text, encoding="utf-8")
    (mini / "retired.yml").write_text("- id: beta-2026-7\n  reason: 测试\n", encoding="utf-8")
    assert run_build("check", "--content", str(mini)).returncode == 0
    published = {s["id"]: s for s in front_matter(path)["statements"]}

    refused = run_build("draft", str(FIXTURE), "--content", str(mini))
    assert refused.returncode == 1 and "already exists" in refused.stderr
    result = run_build("draft", str(FIXTURE), "--force", "--content", str(mini))
    assert result.returncode == 0, result.stderr
    redrafted = front_matter(path)
    again = {s["id"]: s for s in redrafted["statements"]}
    for statement_id, statement in published.items():  # every published id, with its statement, unchanged
        assert again[statement_id] == statement
    new = [i for i in again if i not in published]
    assert new and all(int(i.rsplit("-", 1)[1]) >= 8 for i in new)  # after the highest ever used, retired included
    assert redrafted["sources"] == [{"publisher": "测试出版社", "title": "测试来源", "date": dt.date(2026, 1, 21)}]
    assert len(kept) == 3


@pytest.mark.parametrize("clause, figures", [
    # real clauses of official reports (a few words each), with what a draft must read in them
    ("集成电路产量增长21%、占全国18%", [("21", "%", None), ("18", "%", None)]),
    ("人工智能核心产业规模突破3000亿元", [("3000", "亿元", "突破")]),
    ("医药健康产业规模首次突破万亿元", [("", "万亿元", "突破")]),
    ("新能源汽车年产量近70万辆", [("70", "万辆", "近")]),
    ("新增风电光伏装机400万千瓦以上", [("400", "万千瓦", "以上")]),
    ("带动社会投资超千亿元", [("千", "亿元", "超过")]),
    ("产值占比分别提升6.6个、5.7个百分点", [("6.6", "个百分点", None), ("5.7", "个百分点", None)]),
    ("造船新接订单、手持订单总量均居全国第2位", [("2", "位", None)]),
    ("累计诊断企业超6万家、改造项目5.6万余个", [("6", "万家", "超过"), ("5.6", "万个", "余")]),
    ("无人机产量增长39%、占全国9成", [("39", "%", None), ("9", "成", None)]),
    ("智能算力达到1830P", [("1830", "P", "达到")]),
    ("软件信息、科技服务和商务服务三大产业对经济增长贡献超五成", [("三", None, None), ("五", "成", "超过")]),
    ("“新三样”出口增长两倍多", [("两", "倍", "多")]),
    ("服务业增加值连续24个月保持增长", []),
])
def test_real_clauses_give_their_figures(clause, figures):
    assert [(q.number, q.unit, q.comparator) for q in find_quantities(clause)] == figures


@pytest.mark.parametrize("raw, header", [
    # the layouts of real report pages: a dash or none, a spaced name, a session over two lines, a bilingual page
    ("政府工作报告\n——2026年1月22日在无锡市第十七届人民代表大会第六次会议上\n市长 蒋 锋\n各位代表：",
     ("无锡市第十七届人民代表大会第六次会议", "2026-01-22", "蒋锋", "市长")),
    ("原标题：政府工作报告——\n2025年1月14日在北京市第十六届人民代表大会\n第三次会议上\n北京市市长 殷勇\n各位代表：",
     ("北京市第十六届人民代表大会第三次会议", "2025-01-14", "殷勇", "市长")),
    ("政府工作报告\nGovernment Work Report\n2025年1月15日在浙江省第十四届人民代表大会第三次会议上\n代省长　某某某\n各位代表",
     ("浙江省第十四届人民代表大会第三次会议", "2025-01-15", "某某某", "代省长")),
    ("政府工作報告\n——２０２５年１月１７日在山西省第十四屆人民代表大會第三次會議上\n省長 金湘軍\n各位代表：",
     ("山西省第十四届人民代表大会第三次会议", "2025-01-17", "金湘军", "省长")),
    ("**政府工作报告**\n——2026年2月2日在佛山市第十六届人民代表大会第六次会议上\n佛山市委常委、常务副市长 刘 杰\n各位代表：",
     ("佛山市第十六届人民代表大会第六次会议", "2026-02-02", "刘杰", "常务副市长")),
])
def test_headers_as_real_pages_lay_them_out(raw, header):
    text = prepare(raw).text
    year = int(header[1][:4])
    got = read_header(text, year)
    assert (got.session, got.delivered, got.speaker, got.speaker_title) == header


def test_a_copy_with_front_matter_gives_the_source_and_its_dated_address():
    report = prepare("---\nsource: https://www.shenyang.gov.cn/zwgk/gzbg/202601/t20260120_4972909.html\n"
                     "title: 沈阳市政府工作报告\n---\n——2026年1月14日在…\n**各位代表：**\n<!-- 图片说明 -->正文")
    assert (report.source.endswith("t20260120_4972909.html"), report.title) == (True, "沈阳市政府工作报告")
    assert date_in_address(report.source) == "2026-01-20"
    assert date_in_address("https://www.gd.gov.cn/gkmlpt/content/4/4656/post_4656813.html") is None
    assert "**" not in report.text and "图片说明" not in report.text


def test_traditional_characters_and_full_width_digits_read_as_simplified_and_ascii():
    text = prepare("積體電路產業規模達到１．８萬億元，數字經濟核心產業增長１０％以上。").text
    assert text.startswith("积体电路产业规模达到1.8万亿元，数字经济核心产业增长10%以上。")
    assert [(q.number, q.unit) for q in find_quantities(text)] == [("1.8", "万亿元"), ("10", "%")]


def test_kind_and_year_come_from_where_a_sentence_stands():
    """The review yields results about the year reviewed (a five-year review, the period's last year); the tasks,
    targets and plans of the new year; 到2027年 and “十五五” give their own year."""
    text = ("一、“十四五”时期和2025年工作回顾\n集成电路产业规模增长20%。\n二、“十五五”时期目标任务\n"
            "到2030年人工智能核心产业规模突破1万亿元。\n三、2026年重点工作\n新建智能工厂30个。推进集成电路项目建设。"
            "到2027年建成算力中心5个。\n")
    corpus = validate(load_content(MINI))
    got = [(c.kind, c.year) for c in draft_candidates(text, corpus, "beta", 2026)]
    assert got == [("result", 2025), ("target", 2030), ("target", 2026), ("target", 2027)]


def test_draft_never_overwrites_and_refuses_clearly(mini, tmp_path):
    existing = mini / "reports" / "2025" / "beta.md"
    before = existing.read_bytes()
    cases = [
        (["--region", "beta", "--year", "2025", str(FIXTURE)],
         "draft: content/reports/2025/beta.md already exists; add --force to draft over it (a reviewed entry keeps "
         "every statement and id)"),
        (["--region", "betta", "--year", "2026", str(FIXTURE)],
         "draft: there is no region 'betta'; did you mean 'beta'?; to add one, run: python3 build.py new --region betta"),
        (["--region", "beta", "--year", "2026", str(tmp_path / "nothing.txt")],
         f"draft: {tmp_path / 'nothing.txt'}: no such file; give the report's plain text (UTF-8), as copied from the "
         "official page"),
        (["--region", "beta", str(FIXTURE), str(FIXTURE)],
         "draft: --region and --year name the report of a single text; with several texts, each one's region and "
         "year are read from its dateline (or its file name, e.g. 2026/wuxi.md)"),
    ]
    for args, message in cases:
        result = run_build("draft", *args, "--content", str(mini))
        assert (result.returncode, result.stderr.strip()) == (1, message)
    assert existing.read_bytes() == before


def seed_paragraphs() -> dict[str, str]:
    names = {"北京": "beijing", "上海": "shanghai", "广东": "guangdong", "辽宁": "liaoning", "山西": "shanxi",
             "沈阳": "shenyang", "无锡": "wuxi"}
    text = SEED.read_text(encoding="utf-8")
    blocks = re.split(r"\n\n(?=(?:北京|上海|广东|辽宁|山西|沈阳|无锡):)", text)[1:]
    return {names[b.split(":")[0]]: b.split("\n\n", 1)[1].split("\n\n作者")[0] for b in blocks}


def test_on_the_seed_every_shipped_figure_is_found():
    if not SEED.exists():
        pytest.skip(f"the seed article is not beside the project ({SEED})")
    corpus = validate(load_content(SEED_CORPUS))  # the entries written from the seed article, frozen
    found = total = candidates = extra = 0
    for region, paragraph in seed_paragraphs().items():
        drafted = [q for c in draft_candidates(paragraph, corpus, region, 2025) for _, q in c.metrics]
        shipped = [m for r in corpus.reports_of_region[region] for s in r.statements for m in s.metrics]
        missing = [m.as_written for m in shipped
                   if not any(q.value == pytest.approx(m.value.value) and (q.unit == m.unit or not q.unit)
                              for q in drafted)]
        assert missing == [], region
        found, total = found + len(shipped), total + len(shipped)
        candidates += len(draft_candidates(paragraph, corpus, region, 2025))
        extra += sum(not any(q.value == pytest.approx(m.value.value) for m in shipped) for q in drafted)
    print(f"draft on the seed: {found}/{total} figures found, {candidates} candidates, {extra} extra figures")
