"""Stage 1: files → YAML nodes with line numbers, refusing what would lose data or run code."""

from tracker.load import Map, Scalar, Seq, decode, parse_document


def parse(text: str, front_matter: bool = True):
    problems: list = []
    doc = parse_document(text, "x.md", front_matter=front_matter, problems=problems)
    return doc, [str(p) for p in problems]


def test_front_matter_and_body_with_lines():
    doc, problems = parse("---\na: 1\nb:\n  - x\n---\nBody\n")
    assert problems == []
    assert isinstance(doc.data, Map)
    (ka, la, va), (kb, lb, vb) = doc.data.items
    assert (ka, la, va) == ("a", 2, Scalar("1", 2, "str"))
    assert (kb, lb) == ("b", 3) and isinstance(vb, Seq) and vb.items[0] == Scalar("x", 4, "str")
    assert doc.body == "Body\n" and doc.body_line == 6


def test_values_stay_as_written():
    doc, _ = parse("---\ncode: 0110\nflag: yes\nwhen: 2025-02-30\nq: '12'\n---\n")
    values = {k: v for k, _, v in doc.data.items}
    assert values["code"].text == "0110"  # never octal
    assert values["flag"].text == "yes"
    assert values["when"].text == "2025-02-30"  # an impossible date is no crash here
    assert values["q"] == Scalar("12", 5, "str")
    doc, _ = parse("---\na:\nb: ~\nc: 'null'\n---\n")
    assert [v.kind for _, _, v in doc.data.items] == ["null", "null", "str"]


def test_duplicated_key_is_an_error():
    _, problems = parse("---\nyear: 2025\nyear: 2024\n---\n")
    assert problems == ["x.md:3: year: duplicated key (first at line 2); YAML would silently keep only "
                        "the last one: merge the two into one"]


def test_object_tags_are_refused():
    _, problems = parse("---\na: !!python/object/apply:os.system [echo hi]\n---\n")
    assert problems == ["x.md:2: the YAML tag '!!python/object/apply:os.system' is not allowed; "
                        "entries hold plain text, numbers, dates, lists and mappings"]


def test_aliases_are_refused():
    _, problems = parse("---\na: &x [1, 2]\nb: *x\n---\n")
    assert problems == ["x.md:3: YAML anchors and aliases (&name, *name) are not supported; write the value out in full"]


def test_alias_bomb_is_refused_quickly():
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i-1}"] * 9) + "]" for i in range(1, 10)]
    _, problems = parse("---\n" + "\n".join(lines) + "\n---\n")
    assert problems and all("aliases" in p for p in problems)


def test_tabs_explain_themselves():
    _, problems = parse("---\na:\n\t- x\nb: tab\tinside a value is fine\n---\n")
    assert problems == ["x.md:3: the line is indented with a tab; YAML needs spaces"]


def test_unclosed_front_matter():
    _, problems = parse("---\na: 1\n")
    assert problems == ["x.md:1: the front matter is never closed; add a line '---' after its last field"]


def test_missing_front_matter():
    _, problems = parse("a: 1\n")
    assert problems == ["x.md:1: the file must start with a line '---' that opens the front matter"]


def test_empty_file():
    _, problems = parse("  \n")
    assert problems == ["x.md: the file is empty; start from the template that 'python3 build.py new' writes"]


def test_bom_and_crlf_are_valid():
    problems: list = []
    text = decode("\ufeff---\r\na: 1\r\n---\r\nBody\r\n".encode("utf-8"), "x.md", problems)
    assert problems == [] and text == "---\na: 1\n---\nBody\n"


def test_invalid_utf8_names_the_line():
    problems: list = []
    assert decode(b"---\na: 1\nb: \xff\n---\n", "x.md", problems) is None
    assert [str(p) for p in problems] == ["x.md:3: the file is not valid UTF-8 (byte 0xff); save it as UTF-8"]
