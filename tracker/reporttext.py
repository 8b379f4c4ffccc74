"""A report's text as people have it, made plain for `draft`: the copies of ../shared/reports/ (a small front matter
with the official `source` and `title`, Markdown bold, HTML comments for photo captions), pages pasted from a
browser (full-width digits, non-breaking spaces, a speaker's name spaced out: 「市长 蒋 锋」), copies in traditional
characters, and English lines of a bilingual page.

Also reads the header: the session, the date, the speaker and their title, from the opening lines in the layouts
reports use (a dateline with or without 「——」 or 「原标题：」, the session split over two lines).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

_FRONT_MATTER = re.compile(r"\A\ufeff?---\n(.*?)\n---\n", re.S)
_COMMENT = re.compile(r"<!--.*?-->", re.S)
_BOLD = re.compile(r"\*\*|__")
_FULL_WIDTH = str.maketrans({**{chr(0xFF10 + d): str(d) for d in range(10)}, "％": "%", "．": ".", "\u00a0": " ",
                             "\u3000": " ", "\u2002": " ", "\u2003": " ", "\u200b": ""})
_LATIN_LINE = re.compile(r"^[\x00-\x7f\u2018-\u201d\u2013\u2014]*$")
"""A line with no Chinese at all: the English of a bilingual page, or page furniture."""


@dataclass(frozen=True)
class ReportText:
    text: str
    """The plain text, one paragraph a line."""
    source: str | None
    """The official page the copy names in its front matter, if it has one."""
    title: str | None


@dataclass(frozen=True)
class Header:
    session: str | None
    delivered: str | None
    speaker: str | None
    speaker_title: str | None


def prepare(raw: str) -> ReportText:
    """The text without front matter, comments, emphasis, English lines and spacing quirks; simplified characters,
    ASCII digits."""
    meta: dict[str, str] = {}
    if m := _FRONT_MATTER.match(raw):
        for line in m[1].splitlines():
            key, _, value = line.partition(":")
            meta[key.strip()] = value.strip()
        raw = raw[m.end():]
    text = _simplified(_BOLD.sub("", _COMMENT.sub("", raw)).translate(_FULL_WIDTH))
    lines = [" ".join(line.split()) for line in text.splitlines()]
    lines = [line for line in lines if line and not _LATIN_LINE.match(line)]
    return ReportText("\n".join(lines) + "\n", meta.get("source") or None, meta.get("title") or None)


@functools.cache
def _converter():
    import opencc  # OpenCC's own tables (BYVoid/OpenCC): character and phrase conversion kept up by its authors

    return opencc.OpenCC("t2s")


def _simplified(text: str) -> str:
    return _converter().convert(text)


_NUMERAL = "一二三四五六七八九十"
_SESSION = re.compile(rf"(?:^|(?<=[在\s—：:，,。]))([\u4e00-\u9fff]{{2,12}}?第[{_NUMERAL}]+届人民代表大会第[{_NUMERAL}]+次会议)")
_DATE = re.compile(r"(?:(\d{4})\s*年\s*)?(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_TITLES = r"(?:代|常务副|副)?(?:省长|市长|区长|州长|主席|盟长)"
_SPEAKER = re.compile(rf"^[\u4e00-\u9fff、]{{0,16}}?({_TITLES})\s*((?:[\u4e00-\u9fff·]\s?){{1,3}}[\u4e00-\u9fff·])$")
"""A speaker's line: 「市长 赵建军」, 「北京市市长 殷勇」, 「沈阳市人民政府市长 吕志成」, 「市长 蒋 锋」, 「佛山市委常委、常务副市长
刘 杰」."""


def read_header(text: str, year: int, title: str | None = None) -> Header:
    """Session, date, speaker and title from the opening of the report (its first lines, before 各位代表), the session
    from the page's title where the text has no dateline (龚正市长在上海市第十六届人民代表大会第三次会议的政府工作报告)."""
    opening = text[:700].split("各位代表")[0]
    joined = re.sub(r"\s*\n\s*", "", opening)  # a session or a dateline split over two lines
    session = _SESSION.search(joined) or _SESSION.search(re.sub(r"^.*?在", "在", title or ""))
    delivered = None
    for m in _DATE.finditer(joined):
        if m[1] in (None, str(year)):
            delivered = f"{year}-{int(m[2]):02d}-{int(m[3]):02d}"
            break
    speaker = None
    for line in opening.splitlines():
        if m := _SPEAKER.match(line.strip()):
            speaker = m
            break
    name = re.sub(r"\s", "", speaker[2]) if speaker else None
    return Header(session=re.sub(r"\s", "", session[1]) if session else None, delivered=delivered,
                  speaker=name, speaker_title=speaker[1] if speaker else None)


def date_in_address(url: str | None) -> str | None:
    """The date a page's address carries (t20250121, /2025/01/16/, /art/2025/1/26/, /20250120/), or None: never a
    guess from a number that only might be a date."""
    if not url:
        return None
    for pattern in (r"[/_]t(20\d{2})(\d{2})(\d{2})_", r"/(20\d{2})/(\d{1,2})/(\d{1,2})/", r"/(20\d{2})(\d{2})(\d{2})/"):
        if m := re.search(pattern, url):
            y, mo, d = (int(g) for g in m.groups())
            if 1 <= mo <= 12 and 1 <= d <= 31:
                return f"{y}-{mo:02d}-{d:02d}"
    return None
