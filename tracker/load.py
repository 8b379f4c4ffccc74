"""Stage 1, load: the files of content/ as text, front matter as YAML nodes with line numbers.

This stage knows YAML syntax, not our schema. It refuses what no entry needs and what would
silently lose data or run code: duplicated keys (PyYAML keeps the last), tags (``!!python/…``),
anchors and aliases (the door to alias bombs). Values stay as written; the schema in
``validate`` decides what a scalar means, so ``code: 0110`` is never read as octal.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Union

import yaml

from .problems import Problem

try:  # the C parser is ~10× faster; fall back where libyaml is missing
    _Base = yaml.CSafeLoader
except AttributeError:  # pragma: no cover
    _Base = yaml.SafeLoader


class _Loader(_Base):
    """Types come from our schema, not from YAML's guesses, so PyYAML's implicit resolver (Python code run
    for every scalar: a third of the time to load 10,000 reports) is skipped: a plain scalar is text,
    or null when YAML would read it as null."""

    _TAGS = {yaml.ScalarNode: "tag:yaml.org,2002:str", yaml.SequenceNode: "tag:yaml.org,2002:seq",
             yaml.MappingNode: "tag:yaml.org,2002:map"}

    def resolve(self, kind, value, implicit):
        if kind is yaml.ScalarNode and implicit[0] and value in _NULLS:
            return "tag:yaml.org,2002:null"
        return self._TAGS[kind]


_NULLS = frozenset({"", "~", "null", "Null", "NULL"})

MAX_FILE_BYTES = 512 * 1024
"""A report runs to a few KB; anything this large is a mistake (or an attack)."""

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
"""Lowercase ASCII words joined by hyphens: safe in URLs and as file names."""

_TAG_PREFIX = "tag:yaml.org,2002:"
_TABBED = re.compile(r"^ *\t", re.M)
_WIDE_COLON = re.compile(r"^\s*(?:-\s+)?([A-Za-z_]\w*)\s*：")
"""A key typed with a Chinese input method: 「speaker：殷勇」."""
_SCALAR_TAGS = {"str", "int", "float", "bool", "null", "timestamp"}


@dataclass(frozen=True)
class Scalar:
    text: str
    """The value exactly as written (without quotes)."""
    line: int
    kind: str
    """null (empty, ~ or null, unquoted) or str; an explicit tag (!!int) gives its own name."""


@dataclass(frozen=True)
class Seq:
    items: tuple["Node", ...]
    line: int


@dataclass(frozen=True)
class Map:
    items: tuple[tuple[str, int, "Node"], ...]
    """(key, line of the key, value) in file order; keys are unique."""
    line: int


Node = Union[Scalar, Seq, Map]


@dataclass(frozen=True)
class Document:
    """One content file: its front matter (or whole YAML) as nodes, and its Markdown body."""

    path: str
    """Relative to the folder that holds content/, with forward slashes: used in every message."""
    data: Node | None
    body: str
    body_line: int
    """Line of the file on which the body starts."""

    @property
    def stem(self) -> str:
        """The file name without its extension: a region's slug."""
        return self.path.rsplit("/", 1)[-1].rsplit(".", 1)[0]


@dataclass(frozen=True)
class Loaded:
    industries: Document | None
    regions: tuple[Document, ...]
    reports: tuple[Document, ...]
    """Every region and report file in path order, unreadable ones included (with no data)."""
    problems: tuple[Problem, ...]
    retired: Document | None = None
    """content/retired.yml, the statement ids taken out of use, if there is one."""


@dataclass(frozen=True)
class Listing:
    """The files of a content folder, by kind, before any is read."""

    vocabulary: tuple[Path, str] | None
    """(file, path as shown) of industries.yml, if there is one."""
    retired: tuple[Path, str] | None
    """(file, path as shown) of retired.yml, if there is one."""
    regions: tuple[tuple[Path, str], ...]
    reports: tuple[tuple[Path, str], ...]
    problems: tuple[Problem, ...]
    """Files that have no place in the folder, and a missing folder or vocabulary."""


def list_content(content_dir: Path) -> Listing:
    """Every file under content/ by kind, in path order; report files that have no place there."""
    content_dir = Path(content_dir)
    base = content_dir.parent
    problems: list[Problem] = []

    def rel(p: Path) -> str:
        return p.relative_to(base).as_posix()

    if not content_dir.is_dir():
        problem = Problem(rel(content_dir), 0, "", "the content folder is missing; run from the project root")
        return Listing(None, None, (), (), (problem,))

    vocab = content_dir / "industries.yml"
    vocabulary = (vocab, rel(vocab)) if vocab.is_file() else None
    if vocabulary is None:
        problems.append(Problem(rel(vocab), 0, "", "the industry vocabulary is missing; create it (see CONTRIBUTING.md)"))

    retired_file = content_dir / "retired.yml"
    retired = (retired_file, rel(retired_file)) if retired_file.is_file() else None
    regions, reports = [], []
    prefix = rel(content_dir)
    inside = content_dir.resolve()
    for parts in _walk(content_dir):  # os.walk and strings: pathlib made listing 10,000 files take 0.5 s
        path, shown = content_dir.joinpath(*parts), "/".join((prefix, *parts))
        if os.path.islink(path) and not _within(path, inside):
            problems.append(Problem(shown, 0, "", "is a symbolic link to something outside content/; put the file "
                                    "itself here (a link could make the build read any file of the machine)"))
            continue
        if parts in (("industries.yml",), ("retired.yml",)):
            continue
        name = parts[-1]
        stem, dot, suffix = name.rpartition(".")
        if len(parts) == 2 and parts[0] == "regions" and suffix == "md" and dot:
            where = regions
        elif len(parts) == 3 and parts[0] == "reports" and suffix == "md" and dot:
            where = reports
            if not re.fullmatch(r"\d{4}", parts[1]):
                problems.append(Problem(shown, 0, "", f"'{parts[1]}' is not a year folder; move the file to content/reports/<year>/{name}"))
                continue
        else:
            problems.append(Problem(shown, 0, "", "unexpected file: regions live at content/regions/<slug>.md, "
                                    "reports at content/reports/<year>/<region>.md"))
            continue
        if not SLUG.match(stem):
            problems.append(Problem(shown, 0, "", f"file name '{name}' is not a slug: use lowercase ASCII letters, "
                                    "digits and hyphens, e.g. 'shenyang.md'"))
            continue
        where.append((path, shown))
    return Listing(vocabulary, retired, tuple(regions), tuple(reports), tuple(problems))


def _within(path: Path, folder: Path) -> bool:
    try:
        Path(os.path.realpath(path)).relative_to(folder)
    except ValueError:
        return False
    return True


def load_content(content_dir: Path) -> Loaded:
    """Read every file under content/; report files that have no place there."""
    listing = list_content(content_dir)
    problems = list(listing.problems)
    industries = None
    if listing.vocabulary:
        industries = load_file(*listing.vocabulary, front_matter=False, problems=problems)
    retired = load_file(*listing.retired, front_matter=False, problems=problems) if listing.retired else None
    regions = tuple(load_file(path, shown, front_matter=True, problems=problems) for path, shown in listing.regions)
    reports = tuple(load_file(path, shown, front_matter=True, problems=problems) for path, shown in listing.reports)
    return Loaded(industries, regions, reports, tuple(problems), retired)


def _walk(content_dir: Path):
    """The parts of every file's path below content/, in path order, symbolic links to folders included (for
    list_content to refuse); dot-folders and dotfiles (editor and OS litter) and READMEs are not entries, but a
    dotfile named like one (..md, .wuxi.md) is listed, to be reported."""
    found = []
    for top, folders, files in os.walk(content_dir):
        base = Path(top).relative_to(content_dir).parts
        found.extend((*base, f) for f in folders if os.path.islink(os.path.join(top, f)))
        folders[:] = [f for f in folders if not f.startswith(".")]
        found.extend((*base, f) for f in files if f.lower() != "readme.md"
                     and (not f.startswith(".") or f.endswith((".md", ".yml"))))
    return sorted(found)


def load_file(path: Path, shown: str, *, front_matter: bool, problems: list[Problem],
              raw: bytes | None = None) -> Document:
    """The file (or its bytes, already read) as a Document; one that cannot be read has no data (its problems
    say why)."""
    text = decode(path.read_bytes() if raw is None else raw, shown, problems)
    doc = None if text is None else parse_document(text, shown, front_matter=front_matter, problems=problems)
    return doc or Document(shown, None, "", 0)


def decode(raw: bytes, shown: str, problems: list[Problem]) -> str | None:
    """UTF-8 (a byte-order mark is fine) with any line ends, as text with ``\\n`` line ends."""
    if len(raw) > MAX_FILE_BYTES:
        problems.append(Problem(shown, 0, "", f"the file is {len(raw) // 1024} KiB, over the limit of "
                                f"{MAX_FILE_BYTES // 1024} KiB; an entry summarizes a report, it does not copy it"))
        return None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = raw[: e.start].count(b"\n") + 1
        problems.append(Problem(shown, line, "", f"the file is not valid UTF-8 (byte 0x{raw[e.start]:02x}); "
                                "save it as UTF-8"))
        return None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if _FORBIDDEN.search(text):
        for n, line in enumerate(text.split("\n"), 1):
            if m := _FORBIDDEN.search(line):
                problems.append(Problem(shown, n, "", f"the line holds the invisible character U+{ord(m[0]):04X} "
                                        f"({_name_of(m[0])}); delete it"))
        return None
    return text


_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff\u202a-\u202e\u2066-\u2069]")
"""Control characters (but tab and line break), non-characters, and the bidirectional overrides and isolates
that make text read other than it is stored: no entry needs them, and a reader or a log could be misled."""
_FORBIDDEN_NAMES = {"\x1b": "escape, which starts terminal commands", "\x00": "NUL", "\u202e": "right-to-left override",
                    "\u202d": "left-to-right override", "\u2066": "left-to-right isolate",
                    "\u2067": "right-to-left isolate", "\u2068": "first strong isolate", "\u2069": "pop directional isolate",
                    "\u202a": "left-to-right embedding", "\u202b": "right-to-left embedding",
                    "\u202c": "pop directional formatting", "\ufffe": "a non-character", "\uffff": "a non-character"}


def _name_of(char: str) -> str:
    return _FORBIDDEN_NAMES.get(char, "a control character")


def parse_document(text: str, shown: str, *, front_matter: bool, problems: list[Problem]) -> Document | None:
    if not text.strip():
        problems.append(Problem(shown, 0, "", "the file is empty; start from the template that "
                                "'python3 build.py new' writes"))
        return None
    if not front_matter:
        data = parse_yaml(text, shown, 0, problems)
        return Document(shown, data, "", 0)
    lines = text.split("\n")
    if lines[0].rstrip() != "---":
        problems.append(Problem(shown, 1, "", "the file must start with a line '---' that opens the front matter"))
        return None
    end = front_matter_end(lines)
    if end is None:
        problems.append(Problem(shown, 1, "", "the front matter is never closed; add a line '---' after its last field"))
        return None
    data = parse_yaml("\n".join(lines[1:end]), shown, 1, problems)
    return Document(shown, data, "\n".join(lines[end + 1:]).strip("\n") + "\n", end + 2)


def front_matter_end(lines: list[str]) -> int | None:
    """The index of the line that closes the front matter a file's first line opens, if any."""
    return next((i for i in range(1, len(lines)) if lines[i].rstrip() in ("---", "...")), None)


def parse_yaml(text: str, shown: str, line_offset: int, problems: list[Problem]) -> Node | None:
    """YAML text → our nodes, or None with the problems recorded."""
    tabbed = [n for n, line in enumerate(text.split("\n"), 1 + line_offset) if _TABBED.match(line)] \
        if _TABBED.search(text) else ()
    for n in tabbed:  # PyYAML's own message for this says nothing of tabs
        problems.append(Problem(shown, n, "", "the line is indented with a tab; YAML needs spaces"))
    wide = [(n, m[1]) for n, line in enumerate(text.split("\n"), 1 + line_offset) if (m := _WIDE_COLON.match(line))] \
        if "：" in text else ()
    for n, key in wide:  # PyYAML would blame the next line, for a missing ':'
        problems.append(Problem(shown, n, key, "the key is followed by a full-width colon '：'; YAML needs an ASCII "
                                f"colon and a space: '{key}: …'"))
    if tabbed or wide:
        return None
    deep = _too_deep(text)
    if deep:  # before the parser: libyaml recurses in C, and 30,000 levels crash the process without a word
        problems.append(Problem(shown, deep + line_offset, "", f"the values nest more than {MAX_DEPTH} levels deep "
                                "here; an entry needs a few (statements, their metrics): check the brackets and "
                                "the indentation"))
        return None
    try:
        root = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        line = (mark.line + 1 + line_offset) if mark else 0
        problems.append(Problem(shown, line, "", _yaml_message(e)))
        return None
    except yaml.YAMLError as e:  # pragma: no cover - unmarked errors are rare
        problems.append(Problem(shown, 0, "", f"invalid YAML: {e}"))
        return None
    if root is None:
        return Map((), 1 + line_offset)
    before = len(problems)
    node = _convert(root, shown, line_offset, set() if "*" in text else None, problems)
    return node if len(problems) == before else None


MAX_DEPTH = 12
"""Levels of nesting an entry may use (a report has four: statements, a statement, metrics, a metric)."""
MAX_ITEMS = 1000
"""Items of a list (a report's statements run to a hundred at most)."""
MAX_VALUE = 10_000
"""Characters of one value (a summary's limit is 300: this only stops what would burden every later step)."""


def _too_deep(text: str) -> int:
    """The line where flow brackets ([ {) or indentation first nest past MAX_DEPTH, or 0. Quoted text is skipped (a
    quote opens one only where a value starts: the apostrophe of Xi'an does not); an indentation level is two
    spaces or a list's '- '. Only the characters that can open, close or end something are visited: a
    character-by-character walk of every file was a quarter of a first check's time."""
    depth, quote = 0, ""
    for n, line in enumerate(text.split("\n"), 1):
        if depth == 0:
            quote = ""  # a quoted block value spanning lines holds no brackets that count
            if line.startswith(_DEEP_INDENT):
                stripped = line.lstrip(" ")
                if (len(line) - len(stripped)) // 2 + stripped.startswith("- ") > MAX_DEPTH:
                    return n
        for match in _NESTING.finditer(line):
            ch, at = match[0], match.start()
            if quote:
                quote = "" if ch == quote else quote
            elif ch in "'\"":
                quote = ch if (line[at - 1] if at else " ") in " [{,:" else ""
            elif ch == "#":
                if not at or line[at - 1] == " ":
                    break
            elif ch in "[{":
                depth += 1
                if depth > MAX_DEPTH:
                    return n
            else:
                depth = max(0, depth - 1)
    return 0


_NESTING = re.compile(r"[\[\]{}'\"#]")
_DEEP_INDENT = " " * (2 * MAX_DEPTH)
"""The least indentation that can be too deep (with a list's '- ')."""


def _yaml_message(e: yaml.MarkedYAMLError) -> str:
    what = " ".join(str(x) for x in (e.context, e.problem) if x)
    if "mapping values are not allowed" in what:
        return (f"invalid YAML ({what}): a value holds ': '; put the whole value in quotes, "
                "or check the indentation of the line before")
    return f"invalid YAML ({what}); check the indentation and quotes on this line or the one before"


_PLAIN = {"tag:yaml.org,2002:str": (yaml.ScalarNode, "str"), "tag:yaml.org,2002:null": (yaml.ScalarNode, "null"),
          "tag:yaml.org,2002:seq": (yaml.SequenceNode, None), "tag:yaml.org,2002:map": (yaml.MappingNode, None)}
"""The tags our resolver gives, with the node each belongs on: any other tag was written in the file."""
_QUOTED = frozenset(("'", '"', "|", ">"))


def _convert(node: yaml.Node, shown: str, off: int, seen: set[int] | None, problems: list[Problem],
             used_at: int | None = None) -> Node | None:
    """A composed YAML node → ours. ``seen`` holds the nodes met so far, None where the text has no alias
    (no '*'). ``used_at`` is the line that refers to the node (an alias shares its anchor's node and
    marks, so this is the only place that knows where it stands)."""
    line = node.start_mark.line + 1 + off
    if seen is not None:
        if id(node) in seen:
            problems.append(Problem(shown, used_at or line, "", "YAML anchors and aliases (&name, *name) are not "
                                    "supported; write the value out in full"))
            return None
        seen.add(id(node))
    node_type, kind = _PLAIN.get(node.tag, (None, None))
    if node_type is not type(node):
        kind = _written_tag(node, shown, line, problems)
        if kind is None:
            return None
    if isinstance(node, yaml.ScalarNode):
        if len(node.value) > MAX_VALUE:
            problems.append(Problem(shown, line, "", f"the value is {len(node.value):,} characters long, over the "
                                    f"limit of {MAX_VALUE:,}; an entry summarizes, it does not copy"))
            return None
        if m := _FORBIDDEN.search(node.value):  # written as an escape in double quotes ("\e", "\u202e")
            problems.append(Problem(shown, line, "", f"the value holds the invisible character U+{ord(m[0]):04X} "
                                    f"({_name_of(m[0])}), written as an escape in quotes; delete it"))
            return None
        return Scalar(node.value, line, "str" if node.style in _QUOTED else kind)
    if isinstance(node, yaml.SequenceNode):
        if len(node.value) > MAX_ITEMS:
            problems.append(Problem(shown, line, "", f"the list has {len(node.value):,} items, over the limit of "
                                    f"{MAX_ITEMS:,}; split the entry, or check that the list is what you meant"))
            return None
        items = [_convert(n, shown, off, seen, problems, line) for n in node.value]
        return Seq(tuple(items), line) if None not in items else None
    items, first_line = [], {}
    for key_node, value_node in node.value:
        key_line = key_node.start_mark.line + 1 + off
        if not isinstance(key_node, yaml.ScalarNode) or key_node.tag.endswith(":merge"):
            problems.append(Problem(shown, key_line, "", "keys must be plain names; merge keys (<<) and "
                                    "complex keys are not supported"))
            continue
        key = key_node.value
        if key in first_line:
            problems.append(Problem(shown, key_line, key, f"duplicated key (first at line {first_line[key]}); "
                                    "YAML would silently keep only the last one: merge the two into one"))
            continue
        first_line[key] = key_line
        value = _convert(value_node, shown, off, seen, problems, key_line)
        if value is not None:
            items.append((key, key_line, value))
    return Map(tuple(items), line)


def _written_tag(node: yaml.Node, shown: str, line: int, problems: list[Problem]) -> str | None:
    """A tag written in the file (!!int, !!python/…): its name where it is a plain type on the right node,
    else None with the problem recorded."""
    tag = node.tag[len(_TAG_PREFIX):] if node.tag.startswith(_TAG_PREFIX) else node.tag
    expected = "seq" if isinstance(node, yaml.SequenceNode) else "map" if isinstance(node, yaml.MappingNode) else None
    if (tag in _SCALAR_TAGS) if expected is None else (tag == expected):
        return tag
    shown_tag = "!!" + tag if node.tag.startswith(_TAG_PREFIX) else tag
    problems.append(Problem(shown, line, "", f"the YAML tag '{shown_tag}' is not allowed; entries hold "
                            "plain text, numbers, dates, lists and mappings"))
    return None
