"""Chinese text as Markdown gets it: a line break inside a Chinese paragraph is not a space.

Markdown turns a line break inside a paragraph into a space, which Latin text needs and Chinese text does not: a
summary wrapped in its file as 「生物医药、\\n商业航天」 would read 「生物医药、 商业航天」. Lines are joined where both sides
are Chinese (a character or full-width punctuation), outside code and never before a line that starts a block.
"""

from __future__ import annotations

import re

_CJK = r"\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef\u201c\u201d\u2018\u2019"
_BLOCK_START = r"(?:[-*+>#|]\s|\d+[.)]\s)"
_JOIN = re.compile(rf"(?<=[{_CJK}])\n[ \t]*(?=[{_CJK}\d])|(?<=[。，、；：！？）」』”])\n[ \t]*(?!{_BLOCK_START})(?=\S)")
"""A line break between two Chinese characters, or after Chinese punctuation before anything that does not start a
block (。 then 2025年, a figure)."""
_FENCE = re.compile(r"^(?:```|~~~)", re.M)


def join_cjk_lines(markdown: str) -> str:
    """The Markdown with the line breaks between two Chinese characters removed, fenced code left as it is."""
    parts = _FENCE.split(markdown)
    fences = _FENCE.findall(markdown)
    out = [_JOIN.sub("", parts[0])]
    for n, (fence, part) in enumerate(zip(fences, parts[1:])):
        inside = n % 2 == 0  # every other fence opens a code block
        out.append(fence + (part if inside else _JOIN.sub("", part)))
    return "".join(out)
