"""datasets/datapackage.json is a complete, correct dictionary, and the docs agree with it.

The package follows the Frictionless Data Package v2 and Table Schema specifications (it also
passes ``frictionless validate datasets/datapackage.json`` where frictionless is installed; the
test suite does not need it). Here a JSON Schema for the parts of the specification this package
uses checks its structure, and the files are checked against it: size, hash, rows, header.
``book/datasets.md`` (what each file holds, for everyone), ``book/faculty/planted-answers.md`` (the
planted gaps and their true values, for facilitators) and the generated parts of
``datasets/README.md`` must equal what ``helpers.synth`` renders from the package; the participants'
page must not give the answers away; and every citation must be in a BibTeX file.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import re
from pathlib import Path

import jsonschema
import pandas as pd
import pytest

from helpers import synth
from helpers.synth._gaps import GAPS, REFERENCES

ROOT = Path(__file__).resolve().parents[1]
DATASETS = ROOT / "datasets"
PACKAGE = json.loads((DATASETS / "datapackage.json").read_text(encoding="utf-8"))
RESOURCES = {r["name"]: r for r in PACKAGE["resources"]}
PAGE = ROOT / "book" / "datasets.md"
ANSWERS = ROOT / "book" / "faculty" / "planted-answers.md"
REGENERATE = (
    "python -m helpers.synth --out datasets/ --page book/datasets.md "
    "--answers book/faculty/planted-answers.md --readme datasets/README.md"
)
README = DATASETS / "README.md"
BIB_FILES = [ROOT / "book" / "_datasets_refs.bib", ROOT / "book" / "references.bib"]

_NAME = {"type": "string", "pattern": "^[a-z][a-z0-9_]*$"}
_CATEGORY = {
    "anyOf": [
        {"type": "string"},
        {
            "type": "object",
            "required": ["value", "label"],
            "properties": {
                "value": {"type": ["integer", "string"]},
                "label": {"type": "string", "minLength": 1},
            },
            "additionalProperties": False,
        },
    ]
}
FIELD_SCHEMA = {
    "type": "object",
    "required": ["name", "type", "description", "constraints", "simulation"],
    "additionalProperties": False,
    "properties": {
        "name": _NAME,
        "type": {"enum": ["string", "integer", "number", "boolean", "date"]},
        "description": {"type": "string", "minLength": 10},
        "simulation": {"type": "string", "minLength": 5},
        "categories": {"type": "array", "minItems": 1, "items": _CATEGORY},
        "categoriesOrdered": {"type": "boolean"},
        "trueValues": {"type": "array", "items": {"type": "string"}},
        "falseValues": {"type": "array", "items": {"type": "string"}},
        "constraints": {
            "type": "object",
            "required": ["required"],
            "additionalProperties": False,
            "properties": {
                "required": {"type": "boolean"},
                "unique": {"type": "boolean"},
                "enum": {"type": "array", "minItems": 1, "uniqueItems": True},
                "minimum": {"type": "integer"},
                "maximum": {"type": "integer"},
            },
        },
    },
}
PACKAGE_SCHEMA = {
    "type": "object",
    "required": ["$schema", "name", "title", "description", "version", "licenses", "resources"],
    "properties": {
        "$schema": {"const": "https://datapackage.org/profiles/2.0/datapackage.json"},
        "name": {"type": "string", "pattern": "^[a-z0-9._-]+$"},
        "licenses": {"type": "array", "minItems": 1},
        "resources": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "required": [
                    "name",
                    "type",
                    "path",
                    "title",
                    "description",
                    "format",
                    "mediatype",
                    "encoding",
                    "bytes",
                    "hash",
                    "rows",
                    "schema",
                ],
                "properties": {
                    "name": _NAME,
                    "type": {"const": "table"},
                    "path": {"type": "string", "pattern": r"^[a-z_]+\.csv$"},
                    "format": {"const": "csv"},
                    "mediatype": {"const": "text/csv"},
                    "encoding": {"const": "utf-8"},
                    "bytes": {"type": "integer", "minimum": 1},
                    "hash": {"type": "string", "pattern": "^sha256:[0-9a-f]{64}$"},
                    "rows": {"type": "integer", "minimum": 1},
                    "schema": {
                        "type": "object",
                        "required": ["fields", "missingValues", "primaryKey"],
                        "properties": {
                            "fields": {"type": "array", "minItems": 1, "items": FIELD_SCHEMA},
                            "missingValues": {"type": "array", "items": {"type": "string"}},
                            "primaryKey": {"type": "array", "minItems": 1, "items": {"type": "string"}},
                        },
                    },
                },
            },
        },
    },
}


@pytest.fixture(scope="module")
def generated() -> synth.Synthetic:
    return synth.generate()


def test_package_structure_follows_the_table_schema_spec() -> None:
    jsonschema.validate(PACKAGE, PACKAGE_SCHEMA)
    assert [r["name"] for r in PACKAGE["resources"]] == list(synth.DATASET_NAMES)


def test_package_schema_catches_mistakes() -> None:
    bad = json.loads(json.dumps(PACKAGE))
    bad["resources"][0]["schema"]["fields"][0]["tpye"] = "string"  # a typo in a key
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(bad, PACKAGE_SCHEMA)


@pytest.mark.parametrize("name", synth.DATASET_NAMES)
def test_each_file_matches_its_resource(name: str) -> None:
    res = RESOURCES[name]
    blob = (DATASETS / res["path"]).read_bytes()
    assert res["bytes"] == len(blob)
    assert res["hash"] == "sha256:" + hashlib.sha256(blob).hexdigest()
    header, *rows = blob.decode("utf-8").rstrip("\n").split("\n")
    assert res["rows"] == len(rows)
    assert header.split(",") == [f["name"] for f in res["schema"]["fields"]]
    frame = pd.read_csv(DATASETS / res["path"], dtype=str, keep_default_na=False)
    assert not frame.duplicated(subset=res["schema"]["primaryKey"]).any()


@pytest.mark.parametrize("name", synth.DATASET_NAMES)
def test_every_field_is_fully_described(name: str) -> None:
    res = RESOURCES[name]
    assert res["schema"]["missingValues"] == [""]
    frame = pd.read_csv(DATASETS / res["path"], dtype=str, keep_default_na=False)
    for spec in res["schema"]["fields"]:
        cons = spec["constraints"]
        values = frame[spec["name"]]
        blank = values == ""
        if cons["required"]:
            assert not blank.any(), f"{name}.{spec['name']} is required but has blanks"
        if "enum" in cons:
            cats = [c["value"] if isinstance(c, dict) else c for c in spec["categories"]]
            assert cats == cons["enum"], f"{name}.{spec['name']}: categories and enum differ"
            allowed = {str(c) for c in cats}
            assert set(values[~blank]) <= allowed, f"{name}.{spec['name']}: values outside the enum"
        if spec["type"] == "integer" and ("minimum" in cons or "maximum" in cons):
            numbers = values[~blank].astype(int)
            assert numbers.min() >= cons.get("minimum", numbers.min()), spec["name"]
            assert numbers.max() <= cons.get("maximum", numbers.max()), spec["name"]
        if spec["type"] == "boolean":
            assert set(values[~blank]) <= set(spec["trueValues"]) | set(spec["falseValues"]), spec["name"]
        if spec["type"] == "date":
            assert values[~blank].str.fullmatch(r"\d{4}-\d{2}-\d{2}").all(), spec["name"]


def test_patient_file_documents_its_missing_value_meaning() -> None:
    fields = {f["name"]: f for f in RESOURCES["patients"]["schema"]["fields"]}
    for outcome in ("bp_controlled", "hba1c_controlled", "crc_screened"):
        assert not fields[outcome]["constraints"]["required"]
        assert "Blank" in fields[outcome]["description"], outcome
    assert "Blank" in fields["interpreter_needed"]["description"]


# --- The book page and the README are generated from the package ---------------------------------------


def test_book_page_equals_what_the_generator_renders(generated: synth.Synthetic) -> None:
    expected = synth.render_datasets_page(PACKAGE, generated.planted)
    assert PAGE.read_text(encoding="utf-8") == expected, f"book/datasets.md is out of date: {REGENERATE}"


def test_planted_answers_page_equals_what_the_generator_renders(generated: synth.Synthetic) -> None:
    expected = synth.render_planted_answers_page(PACKAGE, generated.planted)
    assert ANSWERS.read_text(encoding="utf-8") == expected, (
        f"book/faculty/planted-answers.md is out of date: {REGENERATE}"
    )


def test_participants_page_leaves_the_planted_answers_to_the_faculty_page(generated: synth.Synthetic) -> None:
    page = PAGE.read_text(encoding="utf-8")
    answers = ANSWERS.read_text(encoding="utf-8")
    assert "True value" not in page and "True value" in answers
    for gap in GAPS:
        # Each gap is described (title, what, source) on the faculty page and not on the participants' page.
        assert f"**{gap.gap_id} · {gap.title}.**" in answers, gap.gap_id
        assert gap.title not in page, f"book/datasets.md describes planted gap {gap.gap_id}"
        assert gap.what not in page
    # Every planted value is in the faculty page's tables.
    for gap_id in generated.planted["gap_id"].unique():
        assert f"| {gap_id} |" in answers, gap_id
        assert f"| {gap_id} |" not in page, gap_id
    assert "{doc}`faculty/planted-answers`" in page
    # The dictionary's "how it was simulated" text of a column with a planted gap sizes the gap: it is
    # on the faculty page only; the participants' page names the gap without its size.
    planted_fields = [
        (res["name"], spec)
        for res in PACKAGE["resources"]
        for spec in res["schema"]["fields"]
        if "Planted gap" in spec["simulation"]
    ]
    assert planted_fields
    for name, spec in planted_fields:
        simulation = spec["simulation"].replace("|", "\\|")
        assert simulation not in page, f"{name}.{spec['name']}: book/datasets.md sizes a planted gap"
        assert simulation in answers, f"{name}.{spec['name']}: missing from the faculty page"
        row = next(
            ln for ln in page.splitlines() if ln.startswith(f"| `{spec['name']}` |") and "planted" in ln
        )
        assert "planted for the exercises" in row


def test_docs_say_what_a_simulated_difference_between_groups_stands_for() -> None:
    sentence = "not for anything inherent in the group"
    for path in (PAGE, ANSWERS, README):
        text = " ".join(path.read_text(encoding="utf-8").split())
        assert sentence in text, f"{path.name} lacks the framing of simulated group differences"
        assert "social and political categories, not biology" in text, path.name


def test_book_page_shows_every_column_with_its_description() -> None:
    page = PAGE.read_text(encoding="utf-8")
    for res in PACKAGE["resources"]:
        section = page.split(f"## `{res['name']}`")[1].split("\n## ")[0]
        for spec in res["schema"]["fields"]:
            line = next((ln for ln in section.splitlines() if ln.startswith(f"| `{spec['name']}` |")), None)
            assert line is not None, f"{res['name']}.{spec['name']} missing from book/datasets.md"
            assert spec["description"].replace("|", "\\|") in line


@pytest.mark.parametrize("path", [PAGE, ANSWERS], ids=["datasets", "planted-answers"])
def test_book_page_headings_are_in_order(path: Path) -> None:
    levels = [len(m.group(1)) for m in re.finditer(r"^(#+) ", path.read_text(encoding="utf-8"), re.M)]
    assert levels[0] == 1 and levels.count(1) == 1
    assert all(b - a <= 1 for a, b in itertools.pairwise(levels))


def test_readme_generated_sections_are_current(generated: synth.Synthetic) -> None:
    text = README.read_text(encoding="utf-8")
    assert text == synth.readme_text(text, generated, PACKAGE), (
        "datasets/README.md is out of date: "
        "python -m helpers.synth --out datasets/ --readme datasets/README.md"
    )


def test_readme_documents_every_planted_gap_with_a_source(generated: synth.Synthetic) -> None:
    text = README.read_text(encoding="utf-8")
    documented = {g.gap_id for g in GAPS}
    assert {gap_id.split("-")[0] for gap_id in generated.planted["gap_id"]} <= documented
    for gap in GAPS:
        assert f"### {gap.gap_id} · " in text
        assert gap.source.strip(), gap.gap_id
        for key in gap.refs:
            assert f"- [{key}] " in text, f"{gap.gap_id}: reference {key} not listed in README"


def _bib_keys() -> set[str]:
    keys: set[str] = set()
    for path in BIB_FILES:
        if path.exists():
            keys |= set(re.findall(r"^@\w+\{([^,]+),", path.read_text(encoding="utf-8"), re.M))
    return keys


def test_every_citation_is_in_a_bibtex_file() -> None:
    keys = _bib_keys()
    cited = set()
    for path in (PAGE, ANSWERS):
        for match in re.finditer(r"\{cite:[pt]\}`([^`]+)`", path.read_text(encoding="utf-8")):
            cited |= set(match.group(1).split(","))
    cited |= set(REFERENCES) | {k for g in GAPS for k in g.refs}
    assert cited - keys == set()
