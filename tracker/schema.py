"""JSON Schema of the entries, generated from model.py: the same types, rules and help texts the validator
uses, for editors that check front matter as people type (yaml-language-server) and for other tools.

`check` stays the authority: cross-entry rules (known tags, unique ids, a result's target) are not
expressible here.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import types
import typing

from . import model
from .quantities import NUMBER_PATTERN
from .page import Page

DIALECT = "https://json-schema.org/draft/2020-12/schema"


def schema(cls: type) -> dict:
    """The schema of one kind of entry (its YAML part: fields taken from the file are left out)."""
    definitions: dict[str, dict] = {}
    root = _object(cls, definitions)
    return {"$schema": DIALECT, "title": cls.__name__, "description": (cls.__doc__ or "").strip(), **root,
            "$defs": definitions}


def schema_files() -> typing.Iterator[Page]:
    for name, cls in (("entry", model.Report), ("region", model.Region)):
        yield Page(f"data/{name}.schema.json", json.dumps(schema(cls), ensure_ascii=False, indent=1) + "\n")
    vocabulary = {"$schema": DIALECT, "title": "Industry vocabulary", "type": "array",
                  "items": {"$ref": "#/$defs/Industry"}, "$defs": {}}
    vocabulary["$defs"]["Industry"] = _object(model.Industry, vocabulary["$defs"])
    yield Page("data/industries.schema.json", json.dumps(vocabulary, ensure_ascii=False, indent=1) + "\n")


def _object(cls: type, definitions: dict) -> dict:
    hints = typing.get_type_hints(cls, vars(model))
    properties, required = {}, []
    for f in dataclasses.fields(cls):
        if f.metadata.get("file"):
            continue
        properties[f.name] = {"description": f.metadata["help"], **_type(hints[f.name], f.metadata, definitions)}
        if f.default is dataclasses.MISSING:
            required.append(f.name)
    return {"type": "object", "properties": properties, "required": required, "additionalProperties": False}


def _type(tp, rules: dict, definitions: dict) -> dict:
    origin, args = typing.get_origin(tp), typing.get_args(tp)
    if origin in (typing.Union, types.UnionType):  # optional: left out, never empty (check says so too)
        return _type(next(a for a in args if a is not type(None)), rules, definitions)
    if origin is typing.Literal:
        return {"enum": list(args)}
    if origin is tuple:
        item = _type(args[0], rules, definitions)
        out = {"type": "array", "items": item}
        if rules.get("non_empty"):
            out["minItems"] = 1
            return {"anyOf": [item, out]} if rules.get("one_or_more") else out
        empty = {"type": "null"}  # `statements:` with nothing after it is an empty list
        return {"anyOf": [item, out, empty]} if rules.get("one_or_more") else {"anyOf": [out, empty]}
    if tp is model.Figure:
        return {"anyOf": [{"type": "number", "minimum": 0}, {"type": "string", "pattern": NUMBER_PATTERN}]}
    if dataclasses.is_dataclass(tp):
        if tp.__name__ not in definitions:
            definitions[tp.__name__] = {}  # placeholder: a class may refer to itself
            definitions[tp.__name__] = _object(tp, definitions)
        return {"$ref": f"#/$defs/{tp.__name__}"}
    if tp is int:
        out = {"type": "integer"}
        if "min" in rules:
            out["minimum"] = rules["min"]
        if "max" in rules:
            out["maximum"] = rules["max"]
        return out
    if tp is bool:
        return {"type": "boolean"}
    if tp is dt.date:
        return {"type": "string", "format": "date", "pattern": r"^\d{4}-\d{2}-\d{2}$"}
    out: dict = {"type": "string", "minLength": 1, "pattern": MARKDOWN if rules.get("markdown") else TRIMMED}
    if "choices" in rules:
        out = {"enum": list(rules["choices"])}
    if "pattern" in rules:
        out = {"allOf": [out, {"pattern": rules["pattern"]}]} if "pattern" in out else {**out, "pattern": rules["pattern"]}
    if "max_len" in rules:
        out["maxLength"] = rules["max_len"]
    if rules.get("url"):
        out = {"allOf": [out, {"pattern": model.URL_PATTERN}]}
    return out


TRIMMED = r"^\S(?:[^\t\n\r\u2028\u2029]*\S)?\n?$"
MARKDOWN = r"^\S(?:[\s\S]*\S)?\n?$"
"""Markdown (an English body) may run over several lines; it too has no space at its start or end."""
"""Text on one line with no space at its start or end: check refuses a value that would be published otherwise."""
