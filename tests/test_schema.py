"""The published JSON Schema accepts every shipped entry and refuses broken ones."""

from __future__ import annotations

import datetime as dt
import json

import jsonschema
import pytest
import yaml

from conftest import CONTENT, MINI, ROOT, SEED
from tracker import model
from tracker.load import load_file
from tracker.schema import schema
from tracker.validate import check_file


def front_matter(path) -> dict:
    """An entry's YAML as JSON would have it (dates as text), the way an editor checks it."""
    text = path.read_text(encoding="utf-8").split("---\n")[1]
    return json.loads(json.dumps(yaml.safe_load(text), default=lambda v: v.isoformat() if isinstance(v, dt.date) else v))


@pytest.fixture(scope="module")
def report_schema():
    jsonschema.Draft202012Validator.check_schema(schema(model.Report))
    return jsonschema.Draft202012Validator(schema(model.Report))


def test_schema_accepts_every_shipped_report(report_schema):
    paths = sorted((CONTENT / "reports").rglob("*.md"))
    assert len(paths) >= 16
    for path in paths:
        assert list(report_schema.iter_errors(front_matter(path))) == [], path


def test_schema_accepts_every_region_and_the_vocabulary():
    regions = jsonschema.Draft202012Validator(schema(model.Region))
    for path in sorted((CONTENT / "regions").glob("*.md")):
        assert list(regions.iter_errors(front_matter(path))) == [], path
    from tracker.schema import schema_files
    vocabulary = json.loads(next(p.text for p in schema_files() if p.path == "data/industries.schema.json"))
    entries = yaml.safe_load((CONTENT / "industries.yml").read_text(encoding="utf-8"))
    assert list(jsonschema.Draft202012Validator(vocabulary).iter_errors(entries)) == []


@pytest.mark.parametrize("change, complaint", [
    (lambda e: e.update(industires=["biomedicine"]), "Additional properties are not allowed"),
    (lambda e: e.pop("session"), "'session' is a required property"),
    (lambda e: e.update(delivered="1月14日"), "does not match"),
    (lambda e: e["statements"][0].update(kind="results"), "is not one of"),
    (lambda e: e["statements"][0]["metrics"][0].update(unit="亿园"), "'亿园' is not one of"),
    (lambda e: e["statements"][0].update(quotes=["这是一整句从报告里原样照抄的话，长度远远超过了一个关键提法应有的长度"]),
     "is too long"),
])
def test_schema_refuses_broken_entries(report_schema, change, complaint):
    entry = front_matter(SEED / "reports/2025/beijing.md")
    change(entry)
    def all_messages(errors):
        for e in errors:  # a list that may also be written as one item: the reason is inside the alternatives
            yield e.message
            yield from all_messages(e.context)
    messages = list(all_messages(report_schema.iter_errors(entry)))
    assert any(complaint in m for m in messages), messages


def _files():
    """Every region and report file of every fixture and of the shipped content, with its kind."""
    roots = [CONTENT, SEED, MINI, *sorted((ROOT / "tests" / "fixtures" / "hostile").glob("*/content"))]
    for root in roots:
        for kind, folder in (("region", "regions"), ("report", "reports")):
            for path in sorted((root / folder).rglob("*.md")):
                yield kind, path


def _check_verdict(kind: str, path) -> bool:
    """What check says of the file's front matter alone (its body and the rules across files aside)."""
    problems = []
    doc = load_file(path, path.name, front_matter=True, problems=problems)
    if doc.data is None:
        return False
    checked = check_file(doc, kind, tuple(problems))
    return not [p for p in checked.problems if p.field.split(".")[0] not in ("body", "draft")]


def _schema_verdict(validators, kind: str, path) -> bool:
    try:
        entry = front_matter(path)
    except Exception:  # not YAML an editor could read either
        return False
    return not list(validators[kind].iter_errors(entry))


def test_check_and_the_schema_give_every_fixture_the_same_verdict():
    """One source for every rule: the schema an editor checks with refuses what check refuses, and no more."""
    validators = {"report": jsonschema.Draft202012Validator(schema(model.Report)),
                  "region": jsonschema.Draft202012Validator(schema(model.Region))}
    verdicts = {}
    for kind, path in _files():
        ours = _check_verdict(kind, path)
        readable = load_file(path, path.name, front_matter=True, problems=[]).data is not None
        # YAML our loader refuses (an alias bomb among them) is not fed to PyYAML's own loader to be expanded
        verdicts[(kind, str(path.relative_to(ROOT)))] = (ours, readable and _schema_verdict(validators, kind, path))
    assert len(verdicts) > 60 and any(v == (False, False) for v in verdicts.values())
    assert {k: v for k, v in verdicts.items() if v[0] != v[1]} == {}


@pytest.mark.parametrize("old, new", [
    ("        value: 12\n", "        value: 三分之一\n"),      # numbers as reports write them: check and schema accept
    ("        value: 12\n", "        value: \"1,200\"\n"),
    ("        value: 12\n", "        value: 十二\n"),
    ("        value: 12\n", "        value: 十二万亿亿\n"),     # …and both refuse what is no number
    ("speaker: 测试人\n", "speaker:\n"),                       # an optional field left empty
    ("speaker: 测试人\n", "speaker: ' 测试人'\n"),              # a space inside the quotes
    ("speaker: 测试人\n", ""),                                 # an optional field left out
    ("session: 湖州市第一届人民代表大会第二次会议\n", ""),          # a required one
    ("        unit: \"%\"\n", "        unit: 亿美元\n"),         # a unit reports use
    ("        unit: \"%\"\n", "        unit: 万两\n"),           # no unit of the table
    ("    reports_on: beta-2024-1\n", "    reports_on: [beta-2024-1]\n"),  # one id, or a list of them
    ("  - id: beta-2025-5\n", "  - id: Beta_2025_5\n"),
])
def test_check_and_the_schema_agree_on_each_rule(tmp_path, old, new):
    path = tmp_path / "beta.md"
    text = (MINI / "reports" / "2025" / "beta.md").read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")
    validator = {"report": jsonschema.Draft202012Validator(schema(model.Report))}
    assert _check_verdict("report", path) == _schema_verdict(validator, "report", path)
