"""Versions of a framework: declared changes, their checks, diff, migration and history across versions."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import silkcore
from silkcore import Change, ChangeOp, DataError, FrameworkChanges, OptionMap, SchemaValidationError
from silkcore._cli import main
from silkcore._documents import parse_bytes
from silkcore._frameworks_check import framework_issues
from silkcore._store import Store, history
from silkcore.testing.strategies import frameworks

from .conftest import EXAMPLES

V10 = EXAMPLES / "frameworks" / "community-energy-readiness.yaml"
V11 = EXAMPLES / "frameworks" / "community-energy-readiness-1.1.yaml"
RS10 = EXAMPLES / "response_sets" / "community-energy-readiness.json"
RS11 = EXAMPLES / "response_sets" / "community-energy-readiness-1.1.json"
ORG = "urn:silk:org:example:sol-del-valle"


def silk(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def v11_document() -> dict[str, Any]:
    return dict(parse_bytes(V11.read_bytes(), str(V11)))


def write_yaml(path: Path, document: dict[str, Any]) -> Path:
    path.write_text(json.dumps(document))  # JSON is YAML; .json keeps the reader strict
    return path


# -- the declaration and its checks ------------------------------------------------------------


def test_the_example_declares_its_changes_and_a_framework_without_them_keeps_its_document() -> None:
    old, new = silkcore.load_framework(V10), silkcore.load_framework(V11)
    assert old.changes is None and new.changes is not None
    assert new.changes.from_version == "1.0.0"
    assert [c.op for c in new.changes.operations] == [ChangeOp.RENAME, ChangeOp.SPLIT, ChangeOp.SCALE, ChangeOp.DROP]
    assert silkcore.framework_document(old)["schema"] == "silkcore_framework-v1.1.0"
    document = silkcore.framework_document(new)
    assert document["schema"] == "silkcore_framework-v1.2.0" and silkcore.validate(document) == []
    # the exchanged document (scales resolved into items) reads back, and means the same
    again = silkcore.load_framework(document)
    assert silkcore.framework_document(again) == document and silkcore.framework_hash(again) == silkcore.framework_hash(new)
    scale_change = next(c for c in document["changes"]["operations"] if c["op"] == "scale")
    assert scale_change["items"] == ["why.members"]
    answers = silkcore.load_document(RS10)
    assert silkcore.migrate_response_set(answers, again, versions=[old]) == silkcore.migrate_response_set(
        answers, new, versions=[old]
    )


def test_validate_refuses_an_undeclared_drop_naming_the_item(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    document = v11_document()
    document["changes"]["operations"] = [c for c in document["changes"]["operations"] if c["op"] != "drop"]
    bad = write_yaml(tmp_path / "dropped.json", document)
    code, out, err = silk(capsys, "validate", str(bad))
    assert code == 1 and out == ""
    assert "why.finance_detail" in err and "/changes/from_items/2" in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1


@pytest.mark.parametrize(
    ("edit", "pointer", "words"),
    [
        (lambda d: d["changes"]["operations"][0].update(to="who.nowhere"), "/changes/operations/0/to",
         "'who.nowhere' is not an item"),
        (lambda d: d["changes"]["operations"].append({"op": "drop", "item": "who.partner_found", "reason": "x"}),
         "/changes/operations/4/item", "already changed"),
        (lambda d: d["changes"]["operations"][2]["options"].append({"old": "agree", "new": "fully"}),
         "/changes/operations/2/options", "mapped twice"),
        (lambda d: d["changes"]["operations"][2]["options"][0].update(new="never"),
         "/changes/operations/2/options/0/new", "'never' is not an option"),
        (lambda d: d["changes"]["operations"][1].update(carry_to=["how.elsewhere"]),
         "/changes/operations/1/carry_to/0", "not one of the items the split makes"),
        (lambda d: d["changes"].update(from_version="1.1.0"), "/changes/from_version", "this very version"),
        (lambda d: d["items"].append(dict(d["items"][-1], id="how.extra")), "/items/5/id", "no change declares it"),
        (lambda d: d["changes"]["operations"].append({"op": "fold", "item": "x"}), "/changes/operations/4", ""),
    ],
)  # fmt: skip
def test_a_malformed_declaration_is_refused_at_its_pointer(edit: Any, pointer: str, words: str) -> None:
    document = v11_document()
    edit(document)
    with pytest.raises(SchemaValidationError) as caught:
        silkcore.load_framework(document)
    assert any(i.pointer.startswith(pointer) and words in i.message for i in caught.value.errors), caught.value.errors


def test_a_v1_1_document_still_reads_into_the_current_entity() -> None:
    document = dict(parse_bytes(V10.read_bytes(), "f.yaml"), schema="silkcore_framework-v1.1.0")
    assert silkcore.load_framework(document) == silkcore.load_framework(V10)


# -- silk frameworks diff ----------------------------------------------------------------------


def test_diff_lists_the_rename_the_split_the_scale_change_and_the_drop(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = silk(capsys, "frameworks", "diff", str(V10), str(V11))
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "network.community-energy-partnering 1.0.0 -> 1.1.0 (declared)"
    assert any(line.split()[:2] == ["rename", "who.partner_found"] for line in lines)
    assert any(line.split()[:2] == ["split", "how.risk_register"] for line in lines)
    assert any(line.split()[:3] == ["scale", "scale", "agreement:"] and "'mostly'" in line for line in lines)
    assert any(line.split()[:2] == ["drop", "why.finance_detail"] for line in lines)
    assert "undeclared" not in out
    code, out, _ = silk(capsys, "frameworks", "diff", str(V11), str(V10), "--json")  # either order: older first
    result = json.loads(out)
    assert (result["old_version"], result["new_version"], result["declared"]) == ("1.0.0", "1.1.0", True)
    assert [c["change"] for c in result["changes"]] == ["rename", "split", "scale", "drop"]
    assert all(c["declared"] for c in result["changes"])


def test_diff_reports_undeclared_changes_as_such(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    document = v11_document()
    del document["changes"]
    document["schema"] = "silkcore_framework-v1.1.0"
    bare = write_yaml(tmp_path / "bare.json", document)
    code, out, _ = silk(capsys, "frameworks", "diff", str(V10), str(bare), "--json")
    result = json.loads(out)
    assert code == 0 and result["declared"] is False
    kinds = {(c["change"], tuple(c["old"]), tuple(c["new"])) for c in result["changes"]}
    assert ("removed", ("why.finance_detail",), ()) in kinds and ("added", (), ("how.risks_reviewed",)) in kinds
    assert ("options", ("why.members",), ("why.members",)) in kinds
    assert not any(c["declared"] for c in result["changes"])
    code, out, _ = silk(capsys, "frameworks", "diff", str(V10), str(bare))
    assert "(no changes declared)" in out and "[undeclared]" in out


def test_diff_by_id_and_version_and_of_two_frameworks(capsys: pytest.CaptureFixture[str]) -> None:
    energy = "network.community-energy-partnering"
    code, out, _ = silk(capsys, "frameworks", "diff", f"{energy}@1.0.0", f"{energy}@1.1.0", "-f", str(V10), "-f", str(V11))
    assert code == 0 and "rename" in out
    code, _, err = silk(capsys, "frameworks", "diff", f"{energy}@1.0.0", f"{energy}@2.0.0", "-f", str(V10))
    assert code != 0 and "2.0.0" in err and "Traceback" not in err
    code, _, err = silk(capsys, "frameworks", "diff", str(V10), "silk.evaluation-grid")
    assert code == 1 and "different frameworks" in err


# -- silk migrate ------------------------------------------------------------------------------


def test_migrate_carries_the_example_to_1_1_which_validates_and_scores(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out_path = tmp_path / "migrated.json"
    code, out, err = silk(capsys, "migrate", str(RS10), "--to", "1.1.0", "-f", str(V10), "-f", str(V11), "-o", str(out_path))
    assert code == 0, err
    assert "1 asked again (unknown: how.risks_reviewed)" in out and "1 left behind (why.finance_detail)" in out
    migrated = json.loads(out_path.read_text())
    assert migrated["framework_version"] == "1.1.0"
    by_item = {r["item_id"]: r for r in migrated["responses"]}
    assert by_item["who.shares_principles"]["value"] is True  # renamed, carried
    assert by_item["why.members"] == {"item_id": "why.members", "value": "partly", "comment": "Discussed once; a vote is planned"}
    assert by_item["how.risks_reviewed"]["status"] == "unknown"
    assert "split from how.risk_register" in by_item["how.risks_reviewed"]["comment"]
    assert "why.finance_detail" not in by_item
    assert silk(capsys, "validate", "-f", str(V11), str(out_path))[0] == 0
    code, out, _ = silk(capsys, "assess", "-f", str(V11), str(out_path), "--json")
    assert code == 0 and json.loads(out)["framework_version"] == "1.1.0"


def test_migrate_is_deterministic_and_writes_json_lines_for_json_lines(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lines = tmp_path / "sets.jsonl"
    lines.write_text(json.dumps(json.loads(RS10.read_text())) + "\n" + json.dumps(json.loads(RS10.read_text())) + "\n")
    args = ("migrate", str(lines), "--to", "1.1.0", "-f", str(V10), "-f", str(V11))
    first, second = silk(capsys, *args), silk(capsys, *args)
    assert first[0] == 0 and first[1] == second[1]
    out = first[1].splitlines()
    assert len(out) == 2 and all(json.loads(line)["framework_version"] == "1.1.0" for line in out)


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (("--to", "9.9.9", "-f", str(V11)), "unknown framework version 'network.community-energy-partnering 9.9.9'"),
        (("--to", "1.1.0", "-f", str(V11), "-f", str(EXAMPLES / "frameworks" / "nothing.yaml")), "cannot read file"),
    ],
)
def test_migrate_bad_input_is_one_line(args: tuple[str, ...], words: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = silk(capsys, "migrate", str(RS10), *args)
    assert code != 0 and out == "" and words in err and "Traceback" not in err


def test_migrate_refuses_an_answer_to_an_item_the_version_does_not_have(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    document = json.loads(RS10.read_text())
    document["responses"].append({"item_id": "why.nothing", "value": "x"})
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(document))
    code, _, err = silk(capsys, "migrate", str(bad), "--to", "1.1.0", "-f", str(V10), "-f", str(V11))
    assert code == 1 and f"{bad}" in err and "/responses/5/item_id" in err and "why.nothing" in err
    code, _, err = silk(capsys, "migrate", str(bad), "--to", "1.1.0", "-f", str(V11))  # 1.0 not at hand: from_items decide
    assert code == 1 and "/responses/5/item_id" in err and "is not in version 1.0.0" in err


def test_migrating_back_undoes_what_the_declaration_allows() -> None:
    old, new = silkcore.load_framework(V10), silkcore.load_framework(V11)
    answers = silkcore.load_document(RS10)
    forward = silkcore.migrate(answers, new, versions=[old])
    back = silkcore.migrate(forward.response_set, old, versions=[new])
    before = {r.item_id: r for r in answers.responses}
    after = {r.item_id: r for r in back.response_set.responses}
    for item in ("why.motive", "why.members", "who.partner_found", "how.risk_register"):
        assert after[item] == before[item]
    assert after["why.finance_detail"].status == silkcore.AnswerStatus.UNKNOWN  # dropped: nothing to carry back
    assert "dropped in version 1.1.0" in (after["why.finance_detail"].comment or "")
    assert back.asked_again == ("why.finance_detail",) and back.left_behind == ("how.risks_reviewed",)


def test_an_option_mapped_to_ask_again_becomes_unknown_with_the_reason() -> None:
    old, new = silkcore.load_framework(V10), silkcore.load_framework(V11)
    operations = tuple(
        attrs.evolve(
            c, options=(OptionMap("disagree", "disagree"), OptionMap("partly", ask_again=True), OptionMap("agree", "agree"))
        )
        if c.op == ChangeOp.SCALE
        else c
        for c in (new.changes.operations if new.changes else ())
    )
    asked = attrs.evolve(new, changes=attrs.evolve(new.changes, operations=operations))
    assert framework_issues(asked) == []
    result = silkcore.migrate(silkcore.load_document(RS10), asked, versions=[old])
    members = next(r for r in result.response_set.responses if r.item_id == "why.members")
    assert members.status == silkcore.AnswerStatus.UNKNOWN and members.value is None
    assert "'partly'" in (members.comment or "") and "earlier comment: Discussed once" in (members.comment or "")


def test_a_chain_of_declarations_is_followed() -> None:
    old, new = silkcore.load_framework(V10), silkcore.load_framework(V11)
    later = attrs.evolve(
        new,
        version="1.2.0",
        items=tuple(attrs.evolve(i, id="who.partner") if i.id == "who.shares_principles" else i for i in new.items),
        changes=FrameworkChanges(
            "1.1.0", tuple(i.id for i in new.items), (Change(ChangeOp.RENAME, item="who.shares_principles", to="who.partner"),)
        ),
    )
    assert framework_issues(later) == []
    result = silkcore.migrate(silkcore.load_document(RS10), later, versions=[old, new])
    assert result.steps == ("1.0.0 -> 1.1.0", "1.1.0 -> 1.2.0")
    assert {r.item_id for r in result.response_set.responses} >= {"who.partner", "how.risks_reviewed"}
    with pytest.raises(DataError, match=r"no declared changes lead from version 1\.0\.0 to 1\.2\.0"):
        silkcore.migrate(silkcore.load_document(RS10), later, versions=[old])


# -- property tests: identity, and a rename-only change keeps the scores ------------------------


@st.composite
def answered(draw: st.DrawFn) -> tuple[silkcore.Framework, silkcore.ResponseSet]:
    framework = attrs.evolve(draw(frameworks()), graph=None)
    responses = []
    for item in framework.items:
        choice = draw(st.integers(0, 3))
        if choice == 0:
            continue
        if choice == 1:
            responses.append(silkcore.Response(item.id, status=draw(st.sampled_from(list(silkcore.AnswerStatus)))))
            continue
        if item.kind == silkcore.ItemKind.SCALE:
            value: Any = draw(st.sampled_from(["low", "mid", "high"]))
        elif item.kind == silkcore.ItemKind.YES_NO:
            value = draw(st.booleans())
        elif item.kind == silkcore.ItemKind.PERCENTAGE:
            value = draw(st.integers(0, 100))
        else:
            value = draw(st.text("abc ", min_size=1, max_size=8))
        responses.append(silkcore.Response(item.id, value=value, comment=draw(st.none() | st.just("why not"))))
    subject = silkcore.OrgRef("urn:silk:org:test:one")
    return framework, silkcore.ResponseSet(framework.id, framework.version, subject, tuple(responses))


def renamed(framework: silkcore.Framework, which: list[bool]) -> silkcore.Framework:
    """The next version of ``framework`` with the chosen items renamed, and declared so."""
    new_ids = {item.id: (f"{item.id}r" if pick else item.id) for item, pick in zip(framework.items, which, strict=False)}
    operations = tuple(Change(ChangeOp.RENAME, item=old, to=new) for old, new in new_ids.items() if old != new)
    major, minor, patch = framework.version.split(".")
    return attrs.evolve(
        framework,
        version=f"{major}.{int(minor) + 1}.{patch}",
        items=tuple(attrs.evolve(item, id=new_ids.get(item.id, item.id)) for item in framework.items),
        changes=FrameworkChanges(framework.version, tuple(item.id for item in framework.items), operations),
    )


def scores(card: silkcore.ScoreCard) -> tuple[Any, ...]:
    return card.overall, [(c.id, c.score, c.coverage) for c in card.categories]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(answered())
def test_migrating_to_the_same_version_is_the_identity(case: tuple[silkcore.Framework, silkcore.ResponseSet]) -> None:
    framework, answers = case
    assert silkcore.migrate_response_set(answers, framework) == answers


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(answered(), st.lists(st.booleans(), min_size=5, max_size=5))
def test_a_rename_only_change_keeps_the_scores_and_migrates_back(
    case: tuple[silkcore.Framework, silkcore.ResponseSet], which: list[bool]
) -> None:
    framework, answers = case
    later = renamed(framework, which)
    assert framework_issues(later) == []
    migrated = silkcore.migrate(answers, later, versions=[framework])
    assert migrated.asked_again == () and migrated.left_behind == ()
    assert scores(silkcore.assess(later, migrated.response_set)) == scores(silkcore.assess(framework, answers))
    back = silkcore.migrate_response_set(migrated.response_set, framework, versions=[later])
    assert sorted(back.responses, key=lambda r: r.item_id) == sorted(answers.responses, key=lambda r: r.item_id)


# -- history across versions -------------------------------------------------------------------


@pytest.fixture
def two_versions(tmp_path: Path) -> Path:
    store = tmp_path / "h.sqlite"
    catalog = silkcore.build_catalog()
    old, new = silkcore.load_framework(V10), silkcore.load_framework(V11)
    with Store(store) as opened:
        for framework, path in ((old, RS10), (new, RS11)):
            answers = silkcore.load_document(path)
            opened.record_assessment([answers], silkcore.assess(framework, answers, catalog=catalog))
    return store


def test_history_marks_each_category_across_versions(two_versions: Path, capsys: pytest.CaptureFixture[str]) -> None:
    args = ("history", ORG, "--store", str(two_versions), "-f", str(V10), "-f", str(V11), "--json")
    code, out, _ = silk(capsys, *args)
    assert code == 0
    last = json.loads(out)["assessments"][1]["categories"]
    status = {c["id"]: (c["status"], c["reason_code"]) for c in last}
    assert status == {
        "why": ("not comparable", "not_rescored"),
        "who": ("comparable", "unchanged"),
        "how": ("not comparable", "not_rescored"),
    }
    code, out, _ = silk(capsys, *args, "--rescore")
    last = {c["id"]: c for c in json.loads(out)["assessments"][1]["categories"]}
    assert last["why"]["status"] == "re-scored" and last["why"]["earlier_score"] == 0.33
    assert last["why"]["change"] == pytest.approx(0.67 - 0.33)
    assert last["who"]["status"] == "comparable" and last["who"]["change"] == 0.0
    assert last["how"]["status"] == "not comparable" and last["how"]["reason_code"] == "no_answers"
    assert "how.risks_reviewed" in last["how"]["reason"]
    code, out, _ = silk(capsys, "history", ORG, "--store", str(two_versions), "-f", str(V10), "-f", str(V11), "--rescore")
    assert "compared with 1.0.0:" in out and "why  re-scored" in out and "who  comparable" in out
    code, out, _ = silk(capsys, "history", ORG, "--store", str(two_versions))  # no version at hand
    assert "not comparable: the earlier version of the framework is not at hand" in out


def test_the_store_keeps_the_answers_to_re_score(two_versions: Path) -> None:
    with Store(two_versions) as store:
        records = store.assessments(ORG)
        assert [r.framework_version for r in records] == ["1.0.0", "1.1.0"]
        sets = store.assessment_response_sets(records[0].assessment_id)
        assert sets[0]["framework_version"] == "1.0.0"
        rows = silkcore.compare_versions(history(records), lambda _id: [], store.assessment_response_sets)
    assert all(c["status"] == "not comparable" for c in rows[1]["categories"])
    assert "status" not in rows[0]["categories"][0]


def test_a_reworded_item_is_undeclared_until_the_reword_is_declared() -> None:
    old = silkcore.load_framework(V10)
    document = v11_document()
    document["items"][0]["text"] = {"en": "What is the first motive for the partnership?"}
    reworded = silkcore.load_framework(document)
    found = [e for e in silkcore.diff_frameworks(old, reworded).entries if e.change == "text"]
    assert [(e.new, e.declared) for e in found] == [(("why.motive",), False)]
    document["changes"]["operations"].append({"op": "reword", "item": "why.motive"})
    declared = silkcore.diff_frameworks(old, silkcore.load_framework(document))
    assert not declared.undeclared and declared.entries[-1].change == "reword"
    # the split items are new questions: their texts are not compared with the old one
    assert not [e for e in declared.entries if e.change == "text"]


def test_with_the_earlier_version_at_hand_validate_checks_the_list_and_every_old_option(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert silk(capsys, "validate", "-f", str(V10), str(V11))[0] == 0
    document = v11_document()
    scale = document["changes"]["operations"][2]
    scale["options"] = [m for m in scale["options"] if m["old"] != "partly"]
    unmapped = write_yaml(tmp_path / "unmapped.json", document)
    assert silk(capsys, "validate", str(unmapped))[0] == 0  # alone, the declaration cannot know 1.0's options
    code, _, err = silk(capsys, "validate", "-f", str(V10), str(unmapped))
    assert code == 1 and "at /changes/operations/2/options: option 'partly' of why.members in version 1.0.0 is not mapped" in err
    document = v11_document()
    document["changes"]["from_items"].remove("why.motive")
    document["changes"]["from_items"].append("why.motive_old")
    document["changes"]["operations"].append({"op": "drop", "item": "why.motive_old", "reason": "x"})
    document["changes"]["operations"].append({"op": "add", "item": "why.motive"})
    unlisted = write_yaml(tmp_path / "unlisted.json", document)
    assert silk(capsys, "validate", str(unlisted))[0] == 0
    code, _, err = silk(capsys, "validate", "-f", str(V10), str(unlisted))
    assert (
        code == 1
        and "'why.motive_old' is not an item of version 1.0.0" in err
        and "'why.motive' of version 1.0.0 is not listed" in err
    )
