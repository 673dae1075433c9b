"""The validator: every problem with file, line and column; the nearest valid name for typos."""

from __future__ import annotations

import textwrap
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from plugin.engine.loader import load_catalog, load_workflow
from plugin.engine.problems import Problem

VALID = """\
id: check-out
version: 2
title: {nl: Check-out, en: Check-out}
description: {nl: Afsluiten, en: Closing}
params:
  scale: {type: choice, choices: ["5", "10"], default: "5", help: {nl: Schaal, en: Scale}}
  pause: {type: duration, default: 2d}
triggers:
  - event: meeting_ended
  - schedule: "every 6 weeks on tuesday 14:00"
  - schedule: {cron: "0 9 * * 1"}
  - before_meeting: 7d
  - after_meeting: {offset: 1h}
  - command: {word: checkout, args: [{name: note, type: string, required: false}]}
  - manual: true
steps:
  - poll:
      id: evaluation
      question: {nl: "Hoe was het?", en: "How was it?"}
      scale: 5
  - when:
      condition: "evaluation.average is not none and evaluation.average < 3"
      then:
        - post: {text: {nl: "Jammer", en: "Pity"}}
  - for_each:
      over: members
      as: member
      steps:
        - remind: {to: "member.id", text: {nl: "Hoi {{ member.name }}", en: "Hi {{ member.name }}"}}
"""


def problems_of(text: str) -> list[Problem]:
    workflow, problems = load_workflow(textwrap.dedent(text), "flow.yaml")
    assert (workflow is None) == bool(problems)
    return problems


def test_a_valid_workflow_loads_into_the_typed_model() -> None:
    workflow, problems = load_workflow(VALID, "flow.yaml")
    assert problems == []
    assert workflow is not None
    assert (workflow.id, workflow.version) == ("check-out", "2")
    assert [t.type for t in workflow.triggers] == ["event", "schedule", "schedule", "before_meeting",
                                                   "after_meeting", "command", "manual"]
    assert workflow.triggers[0].options == {"name": "meeting_ended"}
    assert workflow.param("pause") is not None and workflow.param("pause").default == "2d"  # type: ignore[union-attr]
    assert [s.type for s in workflow.steps] == ["poll", "when", "for_each"]
    assert workflow.steps[1].children["then"][0].type == "post"
    assert workflow.steps[2].children["steps"][0].line == 29


def test_misspelt_keys_and_types_name_the_nearest_valid_one() -> None:
    found = problems_of(VALID.replace("question:", "qestion:").replace("- when:", "- wen:")
                        .replace("before_meeting", "before_meting"))
    assert [str(p) for p in found] == [
        "flow.yaml:12:5: unknown trigger type 'before_meting'. Did you mean 'before_meeting'? "
        "(at triggers[3].before_meting)",
        "flow.yaml:17:5: missing required key 'question' (at steps[0].poll)",
        "flow.yaml:19:7: unknown key 'qestion'. Did you mean 'question'? (at steps[0].poll.qestion)",
        "flow.yaml:21:5: unknown step type 'wen'. Did you mean 'when'? (at steps[1].wen)",
    ]


def test_a_missing_translation_is_named() -> None:
    [problem] = problems_of(VALID.replace('text: {nl: "Jammer", en: "Pity"}', 'text: {nl: "Jammer"}'))
    assert (problem.line, problem.path) == (24, "steps[1].when.then[0].post.text.en")
    assert "missing the en text" in problem.message


def test_template_errors_carry_their_line() -> None:
    [problem] = problems_of(VALID.replace('"Hi {{ member.name }}"', '"Hi {{ member.name }"'))
    assert (problem.line, problem.path) == (29, "steps[2].for_each.steps[0].remind.text.en")
    assert problem.message.startswith("template error")


def test_yaml_syntax_and_duplicate_keys() -> None:
    [syntax] = problems_of("id: x\nsteps: [\n")
    assert syntax.line == 3 and "invalid YAML" in syntax.message
    [duplicate] = problems_of("id: a\nid: b\n")
    assert duplicate.line == 2 and "duplicate key" in duplicate.message


def test_a_mapping_or_list_as_a_key_is_a_problem_at_its_line_not_a_crash() -> None:
    """Found by the mutation fuzzing below: ruamel cannot hash a key that holds a mapping or a list."""
    for text, line, column in (("{a: {b: 1}}: x\n", 1, 1), ("name: x\nsteps:\n  - {a: [1]}: x\n", 3, 5),
                               ("name: x\nsteps:\n  - id: a\n    ? [1, [2]]\n    : y\n", 4, 7)):
        workflow, problems = load_workflow(text, "keys.yaml")
        assert workflow is None
        assert [(p.line, p.column) for p in problems] == [(line, column)]
        assert "a key must be one value, not a mapping or a list" in problems[0].message


def test_header_problems_are_all_reported() -> None:
    found = problems_of("id: Bad Id\nversion: true\ntitle: {nl: x}\nsteps: []\ncolour: red\n")
    messages = {p.path: p.message for p in found}
    assert "lower-case" in messages["id"]
    assert "expected a version" in messages["version"]
    assert "missing the en text" in messages["title.en"]
    assert "missing required key 'description'" in messages[""]
    assert "Shorter than minimum length 1." in messages["steps"]
    assert "unknown key 'colour'" in messages["colour"]
    assert [p.line for p in found] == sorted(p.line for p in found)


def test_template_names_filters_and_events_that_exist_nowhere_are_named_with_the_nearest() -> None:
    """What would fail only when the step runs, months into a CoP, is found when the file is read."""
    found = problems_of(VALID.replace("- event: meeting_ended", "- event: meeting_endd")
                        .replace('"Jammer"', '"Jammer {{ comunity.name | uper }}"')
                        .replace('en: "Hi {{ member.name }}"', 'en: "Hi {{ membr.name }} {{ evaluaton.average }}"')
                        .replace("evaluation.average < 3", "evaluation.average < params.scale | int"))
    assert [str(p) for p in found] == [
        "flow.yaml:9:5: unknown event 'meeting_endd'. Did you mean 'meeting_ended'? (at triggers[0].event.name)",
        "flow.yaml:24:25: the template reads 'comunity', which nothing provides here. Did you mean 'community'? "
        "(at steps[1].when.then[0].post.text.nl)",
        "flow.yaml:24:25: unknown filter 'uper'. Did you mean 'upper'? (at steps[1].when.then[0].post.text.nl)",
        "flow.yaml:29:73: the template reads 'evaluaton', which nothing provides here. Did you mean 'evaluation'? "
        "(at steps[2].for_each.steps[0].remind.text.en)",
        "flow.yaml:29:73: the template reads 'membr', which nothing provides here. Did you mean 'member'? "
        "(at steps[2].for_each.steps[0].remind.text.en)",
    ]


def test_a_name_is_known_only_after_the_step_that_gives_it() -> None:
    """A step id, a `set` name and a `for_each` item are readable in later steps, not earlier ones."""
    early = VALID.replace("""  - poll:
      id: evaluation""", """  - post: {text: {nl: "{{ total }}", en: "{{ evaluation }}"}}
  - set: {total: "members | length"}
  - post: {text: {nl: "{{ total }}", en: "{{ total }}"}}
  - poll:
      id: evaluation""")
    assert [(p.line, p.message.split(",")[0]) for p in problems_of(early)] == [
        (17, "the template reads 'total'"), (17, "the template reads 'evaluation'")]


def test_a_bad_id_does_not_hide_the_problems_of_the_steps() -> None:
    found = problems_of(VALID.replace("id: check-out", "id: Check Out").replace("{{ member.name }}", "{{ membr }}"))
    assert [p.path for p in found] == ["id", "steps[2].for_each.steps[0].remind.text.nl",
                                       "steps[2].for_each.steps[0].remind.text.en"]


def test_step_ids_must_be_unique_and_not_reserved() -> None:
    found = problems_of(VALID.replace("id: evaluation", "id: members").replace("as: member", "as: member\n"
                                                                               "      id: x"))
    assert any("'members' is a reserved name" in p.message for p in found)


def test_not_a_mapping() -> None:
    [problem] = problems_of("- just\n- a list\n")
    assert (problem.line, problem.column) == (1, 1)


def test_anchor_bombs_are_refused() -> None:
    bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
    for level in "bcdefg":
        previous = chr(ord(level) - 1)
        bomb += f"{level}: &{level} [*{previous}, *{previous}, *{previous}, *{previous}, *{previous}, *{previous}," \
                f" *{previous}, *{previous}, *{previous}, *{previous}]\n"
    [problem] = problems_of(bomb)
    assert "more than" in problem.message


def test_a_catalog_keeps_the_valid_files(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text(VALID, encoding="utf-8")
    (tmp_path / "b.yaml").write_text("id: [", encoding="utf-8")
    (tmp_path / "c.yaml").write_text(VALID, encoding="utf-8")
    (tmp_path / "notes.txt").write_text("ignored", encoding="utf-8")
    catalog = load_catalog([tmp_path])
    assert list(catalog.workflows) == ["check-out"]
    assert [Path(p.file).name for p in catalog.problems] == ["b.yaml", "c.yaml"]
    assert "also used by" in catalog.problems[1].message


yaml_scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=20))
yaml_values = st.recursive(yaml_scalars, lambda children: st.one_of(
    st.lists(children, max_size=4), st.dictionaries(st.sampled_from(
        ["id", "version", "title", "description", "steps", "triggers", "params", "post", "poll", "text", "nl",
         "en", "when", "then", "for_each", "over", "ask", "questions", "wait", "for", "event", "schedule",
         "every", "cron", "command", "word", "x"]), children, max_size=5)), max_leaves=25)


@settings(max_examples=300, deadline=None)
@given(yaml_values)
def test_random_structures_never_crash_and_every_problem_has_a_line(value: object) -> None:
    import json

    _, problems = load_workflow(json.dumps(value), "fuzz.yaml")
    for problem in problems:
        assert problem.line >= 1 and problem.column >= 1 and problem.message


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300))
def test_random_text_never_crashes(text: str) -> None:
    _, problems = load_workflow(text, "fuzz.yaml")
    assert all(p.line >= 1 for p in problems)


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=0, max_value=VALID.count("\n") - 1), st.text(max_size=12))
def test_a_mutated_valid_file_never_crashes(line: int, junk: str) -> None:
    lines = VALID.splitlines()
    lines[line] = lines[line][: len(junk)] + junk
    _, problems = load_workflow("\n".join(lines), "fuzz.yaml")
    assert all(p.line >= 1 for p in problems)
