"""`qsi --help` without typer. Importing typer and building every command's options
takes several times Python's own start-up, and the list of commands needs none of it.
The text is typer's to the byte at every terminal width (tests/test_cli_help.py
compares them), so it cannot drift: cli/__init__.py builds the app from APP_HELP and
the options' help here, and the test checks each summary against its command's help."""

from __future__ import annotations

import shutil
import textwrap

APP_HELP = ("Run a Quality, Safety & Improvement awards programme as files in git.\n\n"
            "Example: qsi validate   (in a programme folder)")
DEBUG_HELP = ("If qsi itself goes wrong, show Python's traceback for the bug report (put it "
              "before the command: qsi --debug tally).")
VERSION_HELP = "Show qsi's version and stop."
HELP_OPTIONS = ["-h", "--help"]

# The first sentence of each command's help, in the order `qsi --help` lists them:
# every command, then the groups (typer lists a group after the commands).
SUMMARIES = {
    "init": "Start a new programme (Part 3): the seed's categories (or one per --theme and "
    "--setting), the five-criterion rubric, a timeline to fill in, an empty panel, an "
    "example entry, the default templates, the CI workflow, CODEOWNERS and a README for "
    "the programme team.",
    "validate": "Check every file of the programme and report every problem found.",
    "status": "Where the programme stands: timeline, entries, judges' progress, readiness "
    "to tally.",
    "assign": "Give every entry judges_per_entry judges by adding empty score stubs to the "
    "sheets.",
    "tally": "Score, rank and award every entry, exactly as the rules in SPEC §4 say.",
    "render": "Render outputs from templates (the programme's templates/ override the "
    "defaults).",
    "adoption": "Part 2: for every winning and highly commended entry, the organisations at "
    "each adoption stage (interested, planning, piloting, adopted, declined), with dates.",
    "calibration": "Each judge's harshness or leniency against their co-judges, the panel's "
    "agreement (Krippendorff's alpha) and the entries to moderate, for a rubric round.",
    "guard": "Check that the author of a pull request changes only what they may: "
    "maintainers anything; a judge their own score sheet's assigned entries; an entrant "
    "their own entries, not after the deadline and not into another category once judged.",
    "codeowners": "Print a CODEOWNERS file: the maintainers own everything, each judge their "
    "score sheet and each entrant their entries (paths from the git repository's root).",
    "schema": "Write one JSON Schema per file kind, for editors to check files as people "
    "type.",
    "vote": "Count any ballots by the Schulze method, as a ranked round is counted: the "
    "order (ties never broken), the pairwise counts, the strongest paths and Borda.",
    "spc": "Analyse a series the Making Data Count way (XmR limits, special-cause rules, "
    "the variation and assurance icons), outside any programme.",
    "privacy": "The programme's personal data: which fields of which files hold it, who it "
    "is about, where qsi publishes it, each entry's consent to publish, and e-mail "
    "addresses and phone numbers in text fields.",
    "person": "For a subject access request: every file, line and field that mentions a "
    "person (found however their name, e-mail address or handle is written), and every "
    "output qsi would publish with it.",
    "archive": "A copy of a finished edition with personal data removed or pseudonymised by "
    "the `retention:` rules in programme.yaml, from which 'qsi tally' gives the same "
    "results.",
    "compare": "Editions or regions side by side: entries, organisations, categories, care "
    "settings, themes, scores and awards (only where the results are released) and "
    "adoption.",
    "registers": "The programme's registers (registers/: risks, actions, issues, lessons, "
    "the decision log and stakeholders), with what is overdue today.",
    "remind": "The judges with judgements still to do in the current round, how many, and "
    "the deadline; with --out, a reminder e-mail to each.",
    "send": "Send the prepared messages over SMTP with STARTTLS, each once: a log in DIR "
    "(.qsi-sent.log) records every message sent, so running it again sends only the rest.",
    "new": "Create a new file from a template.",
    "import": "Bring in what people sent from outside git.",
}


def top_help() -> str:
    """What `qsi --help` prints, for the terminal it runs in (typer's layout: at most
    78 columns, at least 50)."""
    width = max(min(shutil.get_terminal_size().columns, 80) - 2, 50)
    options = [("--debug", DEBUG_HELP), ("--version", VERSION_HELP),
               (", ".join(HELP_OPTIONS), "Show this message and exit.")]
    limit = width - 6 - max(map(len, SUMMARIES))  # typer's room for a command's summary
    commands = [(name, _shortened(summary, limit)) for name, summary in SUMMARIES.items()]
    about = "\n\n".join(textwrap.fill(paragraph, width, initial_indent="  ",
                                      subsequent_indent="  ", replace_whitespace=False)
                        for paragraph in APP_HELP.split("\n\n"))
    return (f"Usage: qsi [OPTIONS] COMMAND [ARGS]...\n\n{about}\n\n"
            f"Options:\n{_rows(options, width)}\nCommands:\n{_rows(commands, width)}")


def _shortened(sentence: str, limit: int) -> str:
    """The sentence if it fits in `limit` characters, else as many of its words as fit
    with '...' after them."""
    if len(sentence) <= limit:
        return sentence
    words = sentence[:limit - 2].split(" ")[:-1]  # the words that end by limit - 3
    return " ".join(words) + "..."


def _rows(rows: list[tuple[str, str]], width: int) -> str:
    """Two indented columns, the second wrapped beside the first."""
    column = max(len(name) for name, _ in rows) + 2
    lines = []
    for name, text in rows:
        wrapped = textwrap.wrap(text, max(width - column - 2, 10), replace_whitespace=False)
        lines.append(f"  {name.ljust(column)}{wrapped[0]}\n")
        lines.extend(f"{'':{column + 2}}{line}\n" for line in wrapped[1:])
    return "".join(lines)
