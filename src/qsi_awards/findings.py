"""One diagnostic type for every problem qsi finds, and the catalogue of rule codes.

A finding is 1-based and sortable (like yamllint's LintProblem). Codes are stable:
they appear in CI annotations and in the README catalogue, so never rename one.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True, order=True, slots=True)
class Finding:
    """One problem qsi found: where (1-based line and column), its rule code and severity,
    and a sentence for the person who fixes it."""

    path: str
    line: int | None
    column: int | None
    code: str
    severity: Severity
    message: str

    def as_dict(self) -> dict[str, object]:
        return {
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "code": self.code,
            "severity": self.severity,
            "message": self.message,
        }


def sort_key(finding: Finding) -> tuple[str, int, int, str, str]:
    return (finding.path, finding.line or 0, finding.column or 0, finding.code, finding.message)


@dataclass(frozen=True, slots=True)
class Rule:
    """A rule of the catalogue: its code, severity, what it finds and an example."""

    code: str
    severity: Severity
    what: str
    example: str


# The catalogue: code -> rule. The README table lists every one of these (a test checks).
RULES: dict[str, Rule] = {
    rule.code: rule
    for rule in [
        # Files and YAML
        Rule("unreadable", "error", "a file or folder that cannot be read as a file",
             "entries/falls.md is a folder"),
        Rule("not-utf8", "error", "a file that is not UTF-8 text",
             "a Windows-1252 file with £ in it"),
        Rule("too-large", "error", "a file over 1 MiB, or YAML nested more than 50 levels deep",
             "a 2 MB entry"),
        Rule("outside-folder", "error",
             "a symbolic link that leads outside the programme folder, or loops",
             "entries/x.md -> /etc/passwd"),
        Rule("symbolic-link", "error",
             "a file that is a symbolic link, even to a file inside the programme folder",
             "entries/copy.md -> falls-huddles.md"),
        Rule("missing-file", "error", "a required file is missing",
             "no categories.yaml"),
        Rule("stray-file", "warning", "a file qsi would ignore because of its name",
             "scores/hmarsh.yml (should end .yaml)"),
        Rule("yaml-syntax", "error", "YAML that cannot be parsed", "title: [unclosed"),
        Rule("yaml-alias", "error", "YAML anchors and aliases (&name, *name)",
             "team: &t [A]  ...  also: *t"),
        Rule("yaml-tag", "error", "YAML tags such as !!python/object",
             "title: !!python/name:os.system"),
        Rule("control-character", "error",
             "an invisible control character in a YAML file (escape, NUL, a bidi override)",
             "title: Falls huddles<ESC>[2K"),
        Rule("no-front-matter", "error", "an entry that does not start with a --- line",
             "an entry whose first line is '# My project'"),
        Rule("unterminated-front-matter", "error", "front matter with no closing --- line",
             "---\\ntitle: x  (and no second ---)"),
        Rule("not-a-mapping", "error", "a document that is not a set of key: value fields",
             "- just\\n- a list"),
        Rule("duplicate-key", "error",
             "the same key twice in one mapping (one of them would be lost)",
             "impact: 7\\nimpact: 9"),
        # Fields
        Rule("missing-field", "error", "a required field is missing", "an entry without summary:"),
        Rule("unknown-field", "error", "a field qsi does not know (usually a typo)",
             "sumary: ..."),
        Rule("wrong-type", "error", "a value of the wrong kind (text, number, list, true/false)",
             'impact: "9"'),
        Rule("bad-number", "error",
             "a number not written as a plain decimal (a leading zero, 0x, 1_000, 1e3, .inf)",
             "impact: 010"),
        Rule("bad-date", "error", "a date that is not a real YYYY-MM-DD date",
             "submitted: 31/01/2020"),
        Rule("bad-email", "error", "an e-mail address that is not valid", "email: priya.shah"),
        Rule("bad-choice", "error", "a value that is not one of the allowed choices",
             "care_setting: hospital"),
        Rule("bad-value", "error", "a number or text outside what is allowed",
             "judges_per_entry: 0"),
        Rule("bad-id", "error", "an ID or file name that does not match ^[a-z0-9][a-z0-9-]{0,63}$",
             "entries/Falls Huddles.md"),
        Rule("duplicate-id", "error", "two things with the same ID", "two judges with id: hmarsh"),
        Rule("reserved-name", "error",
             "an entry, score sheet or judge named like a Windows device, which Windows "
             "cannot check out", "entries/con.md"),
        # References
        Rule("unknown-category", "error", "a category that categories.yaml does not define",
             "category: safety-tertiary"),
        Rule("unknown-entry", "error",
             "an entry ID with no entries/<id>.md, or a ballot naming a reference of no entry",
             "scores: {no-such-entry: ...}"),
        Rule("unknown-criterion", "error", "a criterion the rubric does not define",
             "kindness: 7  (in a score sheet)"),
        Rule("unknown-judge", "error", "a score sheet for a judge judges.yaml does not list",
             "scores/nobody.yaml"),
        Rule("duplicate-milestone", "error", "a milestone kind used more than once",
             "two milestones with kind: ceremony"),
        Rule("unknown-milestone", "error",
             "a milestone's after: naming a milestone the timeline does not have",
             "after: [judgeing]"),
        Rule("bad-phase", "error",
             "a phase that ends before it starts, follows itself, or starts before a "
             "milestone it follows has ended; a milestone with a kind and an until",
             "date: 2020-02-01, until: 2020-01-15"),
        Rule("judge-mismatch", "error", "a score sheet whose judge: differs from its file name",
             "scores/hmarsh.yaml with judge: pshah"),
        Rule("wrong-category", "error", "a decision that names an entry from another category",
             "winner: an entry in safety-primary, under category: qi-primary"),
        Rule("bad-decision", "error", "a decision that names the same entry twice",
             "winner: a, highly_commended: [a]"),
        # Rules
        Rule("score-out-of-range", "error", "a score outside the rubric scale", "impact: 11"),
        Rule("conflicted-score", "error", "a score from a judge who is conflicted with the entry",
             "a judge scoring an entry from their own organisation"),
        Rule("recusal-with-scores", "error", "a declared conflict that also has scores",
             "conflict: colleague  + impact: 7"),
        Rule("late-submission", "error",
             "an entry submitted, or first committed to git, after the submission deadline",
             "submitted: 2020-02-02"),
        Rule("bad-deadline-exception", "error",
             "a deadline exception that says too little or too much, or an extension that "
             "is not after the deadline", "extended_to: 2020-01-15, deadline 2020-02-01"),
        Rule("extension-awaiting-entry", "warning",
             "an extension for an entry that has not arrived yet (or a misspelt ID)",
             "entries: [virtual-wards], with no entries/virtual-wards.md"),
        Rule("missing-section", "error", "a required '## ' section heading is missing",
             "no '## Impact' heading"),
        Rule("section-order", "error", "required sections out of order",
             "'## Impact' before '## Approach'"),
        Rule("too-many-words", "error", "a summary or section over its word limit",
             "a 151-word summary"),
        Rule("text-before-sections", "error",
             "words before the first section heading, where no word limit would count them",
             "a paragraph above '## Challenge'"),
        Rule("unexpected-section", "error",
             "a '## ' section the programme does not ask for, or one written twice",
             "'## Background' when the sections are Challenge, Approach, Impact, Spread"),
        Rule("setting-mismatch", "error", "an entry's care setting does not fit its category",
             "care_setting: primary in safety-secondary"),
        Rule("unknown-theme", "error", "a category's theme that programme.yaml does not define",
             "theme: workforce, without it under themes:"),
        Rule("unknown-setting", "error",
             "a care setting that programme.yaml does not define",
             "care_setting: hospital, without it under settings:"),
        Rule("conflicting-fields", "error",
             "two fields that cannot go together",
             "an entry both withdrawn: and disqualified:"),
        Rule("needs-patient-involvement", "error",
             "an entry in a patients category without patient involvement",
             "patient_involvement: false in qi-patients"),
        Rule("bad-weight", "error", "a rubric weight that is not positive, or over 1,000,000",
             "weight: 0"),
        Rule("bad-scale", "error", "a rubric scale whose min is not below its max",
             "scale: {min: 10, max: 0}"),
        Rule("adoption-before-ceremony", "error", "an adoption record dated before the ceremony",
             "date: 2020-03-01"),
        Rule("bad-release", "error",
             "a results release (decisions.yaml) dated after the ceremony, or before the "
             "winners are agreed", "results_released: {date: 2020-05-01, ...}, ceremony "
             "2020-04-01"),
        # Measures for improvement (entries' and adoption records' data, SPC charts)
        Rule("bad-period", "error",
             "a measure's period that is not a real month YYYY-MM or date YYYY-MM-DD, or "
             "not of the same kind as the measure's other periods", "2019-13: 4.2"),
        Rule("period-order", "error",
             "a measure's period that is not after the one before it",
             "2019-03 after 2019-04"),
        Rule("bad-csv", "error",
             "a measure's CSV file without the header period,value, empty, or with a "
             "line that is not two cells", "the first line 'month,falls'"),
        Rule("too-many-points", "error", "a measure with more than 1,000 points",
             "five years of daily data"),
        Rule("too-few-points", "warning",
             "a phase of a measure with fewer than 13 points, too few for process limits "
             "(a run chart is drawn instead)", "nine months after a recalculation point"),
        Rule("target-direction", "error",
             "a measure's target that does not fit its direction: a target on a measure "
             "where neither higher nor lower is better",
             "improvement: neither, target: 5"),
        Rule("bad-recalculation", "error",
             "a recalculation point that is not one of the measure's periods after the "
             "first, or is given twice", "recalculate_at: [2019-04] with no 2019-04 point"),
        # Rounds (README "Judging in rounds")
        Rule("bad-round", "error",
             "a round whose dates are out of order, or a ranked round given a rubric, "
             "threshold or shortlist size", "closes: 2020-02-01 before opens: 2020-02-10"),
        Rule("not-on-panel", "error",
             "a score sheet or ballot in a round for a judge not on that round's panel",
             "rounds/final/ballots/pshah.yaml when the final's judges are [hmarsh, sthorne]"),
        Rule("not-a-finalist", "error",
             "a later round's sheet or ballot naming an entry that round does not judge",
             "an entry that was not shortlisted, ranked in the final"),
        Rule("ranked-twice", "error", "an entry ranked twice in one ballot",
             "ranking: [a, [b, a]]"),
        Rule("conflicted-ranking", "error",
             "a judge ranking an entry they are conflicted with",
             "a judge ranking an entry from their own organisation"),
        # Judging (warnings)
        Rule("too-few-judges", "warning", "an entry with fewer than judges_per_entry judges",
             "an entry only two score sheets mention"),
        Rule("pending-judgement", "warning", "an assigned entry not yet fully scored",
             "impact: null"),
        Rule("outside-categories", "warning", "a judgement outside the judge's categories",
             "a primary-care-only judge scoring a secondary entry"),
        Rule("scores-for-left-entry", "warning",
             "scores for an entry that was withdrawn or disqualified (not counted)",
             "a judge who scored an entry before its team withdrew it"),
        # Guard (qsi guard: what the author of a pull request may change)
        Rule("guard-not-allowed", "error",
             "a pull request changes, adds, deletes or renames a file its author may not",
             "an entrant editing scores/hmarsh.yaml or another entrant's entry"),
        Rule("guard-sheet-entry", "error",
             "a judge adds an entry to their score sheet, or removes one assigned to them",
             "scores/hmarsh.yaml gains 'sepsis-screening:' that was not there at the base"),
        Rule("guard-sheet-field", "error",
             "a judge changes their score sheet outside its scores",
             "judge: hmarsh changed to judge: sthorne"),
        Rule("guard-unreadable", "error",
             "a changed file guard cannot read, so it cannot tell whose it is",
             "an entry whose front matter is not valid YAML, or a link"),
        Rule("guard-late-entry", "error",
             "an entrant adds an entry after the submission deadline",
             "a new entry on 2 February 2020, with a deadline of 1 February 2020"),
        Rule("guard-category-move", "error",
             "an entrant moves an entry that judges already have to another category",
             "category: safety-primary changed to qi-patients after assignment"),
        Rule("guard-other-committer", "error",
             "a pull request holds commits, or a push, by someone other than its author "
             "(and the maintainers)",
             "bjudge pushes a commit to ajudge's pull request"),
        # Scoring workbooks (qsi import scores: what a judge's returned workbook holds)
        Rule("workbook-unrecognised", "error",
             "a workbook qsi did not make, or whose hidden data or headings are damaged",
             "a new spreadsheet with the judge's scores typed in"),
        Rule("workbook-stale", "error",
             "a workbook for another programme, judge or round, or made before the "
             "judge's assignment or the rubric changed",
             "hmarsh.xlsx made before a new entry was assigned to hmarsh"),
        Rule("workbook-same-judge", "error", "two workbooks for one judge in one import",
             "hmarsh.xlsx and 'hmarsh (1).xlsx' imported together"),
        Rule("workbook-rows", "error",
             "a row added to, deleted from or copied in the Scores sheet, or an entry that "
             "is not the judge's", "a row pasted in from another judge's workbook"),
        Rule("workbook-reference", "error", "a reference changed by hand",
             "E-7K3Q9X typed over as E-7K3Q9Y"),
        Rule("workbook-bad-cell", "error",
             "a score cell that is not a whole number on the scale, a formula, or text "
             "outside the table",
             "7.5, 12 or 'seven' as a score"),
        Rule("workbook-conflict", "error",
             "scores beside a conflict, or on an entry the judge is conflicted with",
             "scores and 'I know the team' in one row"),
        # Forms (qsi import entries: a Microsoft Forms or Google Forms export into entries)
        Rule("forms-map", "error",
             "an entry map that does not fit the programme: a section it does not have or "
             "one it needs left out, a category that does not exist, no category at all",
             "Background: ... under sections, when the programme has no such section"),
        Rule("forms-missing-column", "error",
             "a column the map names that the export does not have exactly once (a question "
             "renamed or deleted in the form)",
             '"Impact" in the map, "Impact and results" in the export'),
        Rule("forms-response-id", "error",
             "a response with no ID, or with the ID of an earlier response in the export",
             "two rows with the ID 14"),
        Rule("forms-unusable-answer", "error",
             "an answer qsi cannot make the entry's value of: a choice the map does not "
             "know, a date it cannot read, no title",
             "the category answer 'Best safety project', which the map does not list"),
        # Ballots for qsi vote (a file of ballot groups, outside any programme)
        Rule("vote-line", "error",
             "a line of a qsi vote file that is not COUNT: A > B = C",
             "'three: a > b', or 'a > > b'"),
    ]
}


def finding(
    path: str, line: int | None, column: int | None, code: str, message: str
) -> Finding:
    """Build a finding with the severity the catalogue gives its code.

    The message is made one line: it may quote a value from the input, and the text
    format prints one finding per line."""
    if not message.isprintable():
        message = " ".join(message.splitlines())
    return Finding(path, line, column, code, RULES[code].severity, message)


@dataclass(frozen=True)
class Checked:
    """The findings of a check (validate, guard) over `files` files of the programme
    folder `root`, in report order. GitHub annotations need `root`: their paths are
    relative to its git repository."""

    findings: list[Finding]
    files: int
    root: Path

    @property
    def errors(self) -> int:
        return sum(1 for f in self.findings if f.severity == "error")

    def exit_code(self, strict: bool = False) -> int:
        """1 when there are errors (or, with `strict`, any finding), else 0."""
        return 1 if self.errors or (strict and self.findings) else 0
