"""The JSON Schema of the file format, for editors (``evaluator schema``).

It covers what one file can say (types, ranges, terms, required and unknown fields); what
spans files (references, duplicate ids) is the loader's job.
"""

from __future__ import annotations

from typing import Any

from .model import Criterion, Option, Profile, Source

SCHEMA_URI = "https://json-schema.org/draft/2020-12/schema"
FILES = ("option", "sources", "criteria", "profiles")


def json_schema(file: str = "option") -> dict[str, Any]:
    """Schema whose root validates one ``file`` kind; the other kinds sit in ``$defs``."""
    template = "#/$defs/{model}"
    defs: dict[str, Any] = {}
    for model in (Option, Source, Criterion, Profile):
        schema = model.model_json_schema(ref_template=template)
        defs.update(schema.pop("$defs", {}))
        defs[model.__name__] = schema
    profile = defs["Profile"]
    # Exactly one of weights / ranking: the model checks it, the schema says it.
    profile["oneOf"] = [{"required": ["weights"]}, {"required": ["ranking"]}]
    for kind, model_name in (
        ("Sources", "Source"),
        ("Criteria", "Criterion"),
        ("Profiles", "Profile"),
    ):
        defs[f"{kind}File"] = {
            "title": f"{kind.lower()}.yaml",
            "type": "array",
            "minItems": 1,
            "items": {"$ref": f"#/$defs/{model_name}"},
        }
    defs["Criterion"]["properties"]["id"]["not"] = {"const": "feasibility"}
    root_ref = {
        "option": "Option",
        "sources": "SourcesFile",
        "criteria": "CriteriaFile",
        "profiles": "ProfilesFile",
    }[file]
    return {
        "$schema": SCHEMA_URI,
        "$id": f"evaluator:{file}",
        "title": f"Scenario library: {file} file",
        "$ref": f"#/$defs/{root_ref}",
        "$defs": dict(sorted(defs.items())),
    }
