"""The published JSON Schema accepts every shipped entry and refuses broken ones."""

from __future__ import annotations

import datetime as dt
import json

import jsonschema
import pytest
import yaml

from conftest import CONTENT, SEED
from tracker import model
from tracker.schema import schema


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
    (lambda e: e["statements"][0]["metrics"][0].update(unit="亿园"), "'亿园' is not valid under any of the given"),
    (lambda e: e["statements"][0].update(quotes=["这是一整句从报告里原样照抄的话，长度远远超过了一个关键提法应有的长度"]),
     "is too long"),
])
def test_schema_refuses_broken_entries(report_schema, change, complaint):
    entry = front_matter(SEED / "reports/2025/beijing.md")
    change(entry)
    messages = [e.message for e in report_schema.iter_errors(entry)]
    assert any(complaint in m for m in messages), messages
