"""`assessment.json` is written fast, but with the bytes Python's `json` module always wrote."""

from __future__ import annotations

import json
import math

from beautycity.assessment.document import AssessmentDoc, doc_json, read_doc

# Floats Python writes otherwise than pydantic-core (below 1e-4), and their neighbours.
FLOATS = [1e-05, -1.5e-05, 9.99e-05, 1e-07, -3.25e-09, 1e-300, 5e-324, 0.0001, 0.00012]
FLOATS += [1e16, -2.5e22, 123456.789, -0.0, math.inf, -math.inf, math.nan]
# Texts that look like those numbers, or like whole lines of JSON holding them.
TEXTS = ["0.00001", "1e-7", '"x": 1e-7,', "  0.00001", "line\nbreak 0.00001", "e-mail", "0.0000"]


def reference(doc: AssessmentDoc) -> str:
    """How `assessment.json` was first written: Python's `json`, indented."""
    return json.dumps(doc.model_dump(mode="json"), ensure_ascii=False, indent=2) + "\n"


def test_same_bytes_as_pythons_json(docs):
    for doc in docs:
        assert doc_json(doc) == reference(doc)


def test_the_file_reads_back_as_a_document_that_writes_it_again(docs):
    for doc in docs:
        text = doc_json(doc)
        assert doc_json(AssessmentDoc.model_validate_json(text)) == text


def test_awkward_numbers_and_texts(docs):
    doc = docs[0]
    unit = doc.units[0]
    indicators = []
    for k, ind in enumerate(unit.indicators):
        x, text = FLOATS[k % len(FLOATS)], TEXTS[k % len(TEXTS)]
        source = ind.source.model_copy(update={"note": text, "normalised": (text,)})
        indicators.append(
            ind.model_copy(update={"value": x, "change": -x, "projected": x, "source": source})
        )
    contact = {text: text for text in TEXTS} | {"1e-7": "0.00001", 'a": 1e-7': "b"}
    odd = unit.model_copy(update={"indicators": tuple(indicators), "contact": contact})
    doc = doc.model_copy(update={"units": (odd, *doc.units[1:])})
    assert doc_json(doc) == reference(doc)


def test_last_years_results_of_the_older_schema_still_read(docs, tmp_path):
    """A schema-1 `assessment.json` (release 0.1) serves as `--previous`: what schema 2
    added takes its default, and the old robustness analysis, whose grade odds mixed score
    scales, is dropped."""
    data = json.loads(doc_json(docs[1]))
    data["schema_version"] = "beautycity.assessment/1"
    data.pop("comparison")
    data["scheme"].pop("indicators")
    for u in data["units"]:
        for key in ("tied_with", "next_grade"):
            u.pop(key)
        for i in u["indicators"]:
            for key in ("years_left", "action", "previous_action", "follow_up"):
                i.pop(key)
            i["status"] = "not_met" if i["status"] != "met" else "met"
    data["robustness"] = {"replications": 1, "units": [{"id": "x", "p5": 1}]}  # old shape
    path = tmp_path / "assessment.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    old = read_doc(path)
    assert old.robustness is None and old.scheme.indicators == {}
    assert [u.id for u in old.units] == [u.id for u in docs[1].units]
