"""Benchmark every command a national programme runs against the floor, in one run.

    python bench/run.py [--entries 10000] [--small 1000] [--judges 100] [--runs 3]
                        [--only CMD,...] [--limit 300] [--markdown] [--profile]
                        [--work bench/.work]

Generates, at --small and at --entries entries (bench/generate.py, 100 judges, three
judgements per entry), the programme with every score given and, as the commands
measured need them, the same programme with every score null (assigned, unscored),
with empty score sheets (nothing assigned), and a programme with no entries but a map
beside a Forms export of that many responses. Then it measures whole-process wall time
(median of --runs) and peak RSS of each command at both sizes:

  floor          bench/floor.py: read every file, split front matter, yaml.CSafeLoader;
                 each command's floor is of the programme it runs on (below)
  validate       qsi validate --format json
  tally          qsi tally --format json
  assign         qsi assign --dry-run, on the copy with empty score sheets (every
                 judgement to add)
  shortlist, announcement, site, certificates, workbooks, entry-form
                 qsi render KIND --out DIR, into a fresh DIR every run
  packs          qsi render packs without the PDFs (bench/packs_html.py: WeasyPrint lays
                 out ~10 pages a second, and the packs of 10,000 entries hold ~65,000)
  packs-pdf      the whole qsi render packs, PDFs included, at --small only; not run
                 unless named in --only (it takes many minutes)
  import-scores  qsi import scores of every judge's workbook (100), each run into a fresh
                 copy of the unscored programme (the copy is not timed). The workbooks
                 are made once per size: rendered from the unscored programme, then
                 scored as judges would, with the scored programme's scores
                 (bench/fill_workbooks.py), so the import writes every score
  import-entries qsi import entries of the Forms export (CSV), each run into a fresh
                 copy of the programme with no entries (not timed); its floor is that of
                 the programme with empty score sheets, which holds as many entries as
                 the import makes
  help           qsi --help, against `python -c pass`
  example        qsi validate on the example programme (this repository), against
                 `python -c pass`; beside it, what any qsi command that loads a
                 programme pays before it reads a file (importing typer and pydantic
                 and making qsi's pydantic models, with pydantic's plugins off as the
                 qsi executable has them, and its plugin loader the one that has
                 none), so that the part that is qsi's own shows

Each command is reported with its ratio to the floor of the same size and folder, its
peak RSS, its growth from --small to --entries, and the targets of issue 10 (checked at
--entries; a command issue 10 sets no target for is held to the peak RSS one only, and
the imports to the growth one too). After a warm-up round, the commands take turns
round by round, each run right after a run of its floor, at --small then at --entries;
a ratio (or growth) is the median of those pairs' ratios, so a change in the machine's
load hits both sides of it alike. A run longer than --limit seconds is stopped and the
command is reported over the limit (and not run again, nor at the larger size).
--profile runs each command of --only once at --entries under cProfile and prints
its top 15 functions by cumulative time instead.

Exit 0 when every target is met, 1 when one is missed, 2 when the bench could not run
(a command failed: its error is printed).
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import NoReturn

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate import Sheets, forms_export, generate  # noqa: E402

WORK = HERE / ".work"  # the default --work
EXAMPLE = HERE.parent  # the repository root is the example programme
RSS_LIMIT = 300.0  # MiB, every command
GROWTH_LIMIT = 11.0  # --small -> --entries (1,000 -> 10,000), the commands with targets
HELP_LIMIT = 0.150  # seconds
EXAMPLE_LIMIT = 0.400  # seconds


def qsi_exe() -> str:
    """The installed `qsi` script beside this Python (not a version-manager shim, which
    would add its own start-up to every measure)."""
    exe = Path(sys.executable).parent / "qsi"
    return str(exe if exe.exists() else shutil.which("qsi") or "qsi")


# The programmes generated at each size (generate.py), and what is made from them
SCORED: Sheets = "scored"
ASSIGNED: Sheets = "assigned"
EMPTY: Sheets = "empty"
FORM = "form"
WORKBOOKS, EXPORT = "workbooks", "export"
NEEDS = {WORKBOOKS: (SCORED, ASSIGNED), EXPORT: (FORM,)}

Args = Callable[[Path, Path, Path], list[str]]  # (programme, out, given)


@dataclass(frozen=True)
class Command:
    """One measured command. `args(programme, out, given)` are its arguments after the
    program, which is qsi unless `script` names a Python script in bench/; `given` is
    the size's `given` (the workbooks' folder, the export), made once in setup."""

    key: str  # the name --only takes
    label: str
    args: Args
    script: str | None = None
    on: str = SCORED  # the programme it runs on
    floor_on: str | None = None  # the programme its floor reads, if not `on`
    given: str | None = None  # WORKBOOKS or EXPORT
    renders: bool = False  # writes under --out: a fresh folder for every run
    fresh: bool = False  # writes the programme: a fresh copy for every run (not timed)
    ratio: float | None = None  # target: at most this many times the floor
    growth: bool = False  # target: --small -> --entries at most GROWTH_LIMIT times
    small_only: bool = False
    opt_in: bool = False  # run only when --only names it

    def argv(self, programme: Path, out: Path, given: Path) -> list[str]:
        program = [sys.executable, str(HERE / self.script)] if self.script else [qsi_exe()]
        return [*program, *self.args(programme, out, given)]

    def profile_argv(self, programme: Path, out: Path, given: Path, stats: Path) -> list[str]:
        program = [str(HERE / self.script)] if self.script else ["-m", "qsi_awards"]
        return [sys.executable, "-m", "cProfile", "-o", str(stats), *program,
                *self.args(programme, out, given)]


def _render(kind: str) -> Args:
    return lambda programme, out, _: ["render", kind, "-p", str(programme), "--out", str(out)]


def _floor(on: str, label: str) -> Command:
    return Command("floor", label, lambda p, o, g: [str(p)], script="floor.py", on=on)


FLOORS: dict[str, Command] = {
    SCORED: _floor(SCORED, "floor: read, split, yaml.CSafeLoader"),
    ASSIGNED: _floor(ASSIGNED, "floor, unscored sheets"),
    EMPTY: _floor(EMPTY, "floor, empty score sheets")}
COMMANDS = [
    Command("validate", "qsi validate --format json",
            lambda p, o, g: ["validate", "-p", str(p), "--format", "json"], ratio=1.3,
            growth=True),
    Command("tally", "qsi tally --format json",
            lambda p, o, g: ["tally", "-p", str(p), "--format", "json"], ratio=1.5,
            growth=True),
    Command("assign", "qsi assign --dry-run (empty sheets)",
            lambda p, o, g: ["assign", "--dry-run", "-p", str(p)], on=EMPTY, ratio=3,
            growth=True),
    Command("shortlist", "qsi render shortlist", _render("shortlist"), renders=True,
            ratio=2, growth=True),
    Command("announcement", "qsi render announcement", _render("announcement"),
            renders=True),
    Command("site", "qsi render site", _render("site"), renders=True, ratio=4, growth=True),
    Command("certificates", "qsi render certificates", _render("certificates"),
            renders=True),
    Command("packs", "qsi render packs, HTML only", _render("packs"), script="packs_html.py",
            renders=True),
    Command("packs-pdf", "qsi render packs (HTML + PDF)", _render("packs"), renders=True,
            small_only=True, opt_in=True),
    Command("workbooks", "qsi render workbooks", _render("workbooks"), renders=True),
    Command("entry-form", "qsi render entry-form", _render("entry-form"), renders=True),
    Command("import-scores", "qsi import scores (every workbook, unscored sheets)",
            lambda p, o, g: ["import", "scores", "-p", str(p),
                             *(str(book) for book in sorted(g.glob("*.xlsx")))],
            on=ASSIGNED, given=WORKBOOKS, fresh=True, growth=True),
    Command("import-entries", "qsi import entries (Forms export, CSV)",
            lambda p, o, g: ["import", "entries", "-p", str(p), str(g)], on=FORM,
            floor_on=EMPTY, given=EXPORT, fresh=True, growth=True),
]
QUICK = {"help": "qsi --help", "example": "qsi validate, example programme"}
KEYS = [c.key for c in COMMANDS] + list(QUICK)


@dataclass
class Measure:
    walls: list[float]
    ratios: list[float] = field(default_factory=list)  # to the floor run just before
    rss: float = 0.0
    over: bool = False  # a run went past --limit

    @property
    def wall(self) -> float:
        return statistics.median(self.walls) if self.walls else 0.0

    @property
    def ratio(self) -> float:
        return statistics.median(self.ratios) if self.ratios else 1.0


def run_once(argv: list[str], limit: float) -> tuple[float, float] | None:
    """(wall seconds, peak RSS MiB) of one run of a command; None if it ran past `limit`
    seconds (it is stopped). Linux counts the RSS of the process that starts a child
    (this one) in the child's peak, so a peak at or below `own_peak()` means "at most"."""
    with tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        process = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=err)
        timer = threading.Timer(limit, process.kill)  # a blocking wait4 stays exact
        timer.start()
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)  # the timer no longer kills
        timer.cancel()
        if wall >= limit:
            return None
        if process.returncode != 0:
            err.seek(0)
            stop(f"{' '.join(argv)} exited {process.returncode}: "
                 f"{err.read(2000).decode(errors='replace')}")
    return wall, usage.ru_maxrss / 1024


def stop(message: str) -> NoReturn:
    """The bench cannot go on: exit 2 (1 is a target missed)."""
    print(message, file=sys.stderr)
    sys.exit(2)


def own_peak() -> float:
    """This process's peak RSS, MiB: a child's peak RSS never reads lower."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def mib(rss: float) -> str:
    """A peak RSS as text; one no higher than this process's own is only a bound."""
    if not rss:
        return "—"
    return f"≤ {rss:.0f} MiB" if rss <= own_peak() else f"{rss:.0f} MiB"


class Bench:
    def __init__(self, sizes: dict[int, dict[str, Path]], limit: float, work: Path) -> None:
        self.sizes = sizes  # entries -> what prepare() made at that size
        self.limit = limit
        self.work = work
        self.results: dict[tuple[str, int, str], Measure] = {}  # (key, size, on)

    def once(self, command: Command, size: int, keep: bool) -> float | None:
        """Run `command` at `size` once and return its wall time (None if it is over the
        limit); keep the measure unless it is the warm-up."""
        name = (command.key, size, command.on)
        measure = self.results.setdefault(name, Measure([]))
        smaller = [self.results.get((command.key, other, command.on))
                   for other in self.sizes if other < size]
        measure.over = measure.over or any(m is not None and m.over for m in smaller)
        if measure.over:
            return None
        paths = fresh_paths(command, self.sizes[size], f"{command.key}-{size}", self.work)
        result = run_once(command.argv(*paths), self.limit)
        if result is None:
            measure.over = True
            return None
        if keep:
            measure.walls.append(result[0])
            measure.rss = max(measure.rss, result[1])
        return result[0]

    def get(self, command: Command, size: int) -> Measure:
        return self.results[(command.key, size, command.on)]


def fresh_paths(command: Command, made: dict[str, Path], name: str, work: Path
                ) -> tuple[Path, Path, Path]:
    """(programme, out, given) for a run of `command` on what `made` holds: a fresh --out
    folder if it renders, a fresh copy of the programme if it writes it (the copy made
    now, before any timer starts)."""
    programme = made[command.on]
    out = work / "out" / name
    if command.renders and out.exists():
        shutil.rmtree(out)
    if command.fresh:
        copy = work / "fresh" / name
        if copy.exists():
            shutil.rmtree(copy)
        shutil.copytree(programme, copy)
        programme = copy
    return programme, out, made[command.given] if command.given else work


def floor_of(command: Command) -> Command:
    return FLOORS[command.floor_on or command.on]


def prepare(commands: list[Command], size: int, judges: int, work: Path
            ) -> dict[str, Path]:
    """Generate what `commands` run on at `size`: the programmes, their floors' and what
    they are given."""
    wanted = {need for c in commands for need in (c.on, floor_of(c).on)}
    wanted |= {need for c in commands if c.given for need in NEEDS[c.given]}
    made: dict[str, Path] = {}
    sheets: Sheets
    for sheets in (SCORED, ASSIGNED, EMPTY):
        if sheets in wanted:
            made[sheets] = generate(work / f"{sheets}{size}", size, judges, sheets=sheets)
    if FORM in wanted:
        made[FORM] = work / f"{FORM}{size}"
        made[EXPORT] = forms_export(made[FORM], size, judges)
    if any(c.given == WORKBOOKS for c in commands):
        made[WORKBOOKS] = books = work / f"{WORKBOOKS}{size}"
        if books.exists():
            shutil.rmtree(books)
        for argv in ([qsi_exe(), "render", "workbooks", "-p", str(made[ASSIGNED]), "--out",
                      str(books)],
                     [sys.executable, str(HERE / "fill_workbooks.py"), str(made[SCORED]),
                      str(books)]):
            done = subprocess.run(argv, capture_output=True, text=True)
            if done.returncode:
                stop(f"{' '.join(argv)} exited {done.returncode}: {done.stderr[-2000:]}")
    return made


def measure_all(commands: list[Command], small: int, big: int, runs: int,
                bench: Bench) -> None:
    """Warm-up (every command at `small`, the floors at both sizes: byte code, font
    caches, the files in the page cache), then `runs` rounds in which the commands take
    turns, each run right after a run of its floor, at one size then the other: each
    ratio is taken to the floor measured just before, each growth to the run at the
    smaller size just before, so a change in the machine's load hits both alike."""
    for floor in {floor_of(c) for c in commands}:
        bench.once(floor, small, keep=False)
        bench.once(floor, big, keep=False)
    for command in commands:
        bench.once(command, small, keep=False)
    for _ in range(runs):
        for command in commands:
            for size in (small,) if command.small_only else (small, big):
                base = bench.once(floor_of(command), size, keep=True)
                wall = bench.once(command, size, keep=True)
                if base and wall:
                    bench.get(command, size).ratios.append(wall / base)


# What a command that loads a programme pays before it reads a file: the libraries and
# the models, with pydantic's plugins off and its plugin loader the one that has none,
# as the qsi executable has them (qsi_awards/main.py).
STACK = ("import os; os.environ['PYDANTIC_DISABLE_PLUGINS'] = '__all__'; "
         "from qsi_awards.main import _no_plugin_loader; _no_plugin_loader(); "
         "import typer, qsi_awards.model")
STACK_LABEL = "start-up floor: import typer, pydantic and qsi's models"


def quick(keys: list[str], runs: int, limit: float) -> dict[str, Measure]:
    """`python -c pass`, `qsi --help`, the example programme's validate (with the
    start-up floor): interleaved."""
    argvs = {"python": [sys.executable, "-c", "pass"], "help": [qsi_exe(), "--help"],
             "stack": [sys.executable, "-c", STACK],
             "example": [qsi_exe(), "validate", "-p", str(EXAMPLE)]}
    wanted = {"python", *keys, *(["stack"] if "example" in keys else [])}
    chosen = {k: v for k, v in argvs.items() if k in wanted}
    found = {k: Measure([]) for k in chosen}
    for round_number in range(runs + 1):
        for key, argv in chosen.items():
            result = run_once(argv, limit)
            if result is None:
                stop(f"{' '.join(argv)} ran past --limit {limit} s")
            if round_number:
                found[key].walls.append(result[0])
                found[key].rss = max(found[key].rss, result[1])
    return found


def seconds(wall: float) -> str:
    return f"{wall * 1000:.0f} ms" if wall < 1 else f"{wall:.2f} s"


Row = tuple[str, ...]  # cells; the last is the result, PASS or FAIL: ...


def command_row(command: Command, bench: Bench, small: int, big: int) -> Row:
    floor = floor_of(command)
    at_small, floor_small = bench.get(command, small), bench.get(floor, small)
    targets: list[str] = []
    missed: list[str] = []
    if command.ratio is not None:
        targets.append(f"≤ {command.ratio:g}× floor")
    targets.append(f"≤ {RSS_LIMIT:.0f} MiB")
    if command.growth:
        targets.append(f"growth ≤ {GROWTH_LIMIT:g}×")

    def cell(measure: Measure, base: Measure) -> tuple[str, str]:
        if measure.over:
            return f"> {bench.limit:g} s", f"> {bench.limit / base.wall:.0f}×"
        return seconds(measure.wall), f"{measure.ratio:.2f}×"

    wall_small, ratio_small = cell(at_small, floor_small)
    if command.small_only:
        wall_big = ratio_big = growth = "—"
        rss = at_small.rss
        if at_small.over:
            missed.append(f"over the {bench.limit:g} s limit")
    else:
        at_big, floor_big = bench.get(command, big), bench.get(floor, big)
        wall_big, ratio_big = cell(at_big, floor_big)
        rss = max(at_small.rss, at_big.rss)
        if at_big.over or at_small.over:
            growth = "—"
            missed.append(f"over the {bench.limit:g} s limit")
        else:
            factor = (at_big.wall / at_small.wall if command.key == "floor" else
                      statistics.median(b / s for s, b in zip(at_small.walls, at_big.walls,
                                                               strict=True)))
            growth = f"{factor:.1f}×"
            if command.growth and factor > GROWTH_LIMIT:
                missed.append(f"growth {factor:.1f}×")
            if command.ratio is not None and at_big.ratio > command.ratio:
                missed.append(f"{at_big.ratio:.2f}× floor")
    if rss > RSS_LIMIT:
        missed.append(f"{rss:.0f} MiB")
    result = "FAIL: " + ", ".join(missed) if missed else "PASS"
    if command.key == "floor":
        targets, result = ["baseline"], ""
    return (command.label, wall_small, ratio_small, wall_big, ratio_big, mib(rss), growth,
            ", ".join(targets), result)


QUICK_HEAD = ("command", "wall", "ratio", "peak RSS", "target", "result")


def quick_rows(found: dict[str, Measure]) -> list[Row]:
    base = found["python"]
    rows: list[Row] = [("python -c pass", seconds(base.wall), "1.00×", mib(base.rss),
                        "baseline", "")]
    if "stack" in found:
        stack = found["stack"]
        rows.append((STACK_LABEL, seconds(stack.wall), f"{stack.wall / base.wall:.1f}×",
                     mib(stack.rss), "baseline", ""))
    for key, limit in (("help", HELP_LIMIT), ("example", EXAMPLE_LIMIT)):
        if key in found:
            measure = found[key]
            missed = [f"{seconds(measure.wall)}"] if measure.wall > limit else []
            if measure.rss > RSS_LIMIT:
                missed.append(f"{measure.rss:.0f} MiB")
            rows.append((QUICK[key], seconds(measure.wall), f"{measure.wall / base.wall:.1f}×",
                         mib(measure.rss), f"≤ {limit * 1000:.0f} ms, ≤ {RSS_LIMIT:.0f} MiB",
                         "FAIL: " + ", ".join(missed) if missed else "PASS"))
    return rows


def show(head: Row, rows: list[Row], markdown: bool) -> None:
    """A table: the first column and the last two (target, result) to the left, the
    figures to the right."""
    left = {0, len(head) - 2, len(head) - 1}
    if markdown:
        print("| " + " | ".join(head) + " |")
        print("|" + "".join("---|" if i in left else "---:|" for i in range(len(head))))
        for row in rows:
            print("| " + " | ".join(row) + " |")
        return
    widths = [max(len(r[i]) for r in [head, *rows]) for i in range(len(head))]
    for row in [head, *rows]:
        print("  ".join(c.ljust(w) if i in left else c.rjust(w)
                        for i, (c, w) in enumerate(zip(row, widths, strict=True))).rstrip())


# what every profile starts with, and says nothing: the interpreter, runpy, typer/click
WRAPPERS = (r"^(?!.*(?:<string>|builtins\.exec|runpy|/typer/|qsi_awards/__main__\.py"
            r"|qsi_awards/main\.py|qsi_awards/cli/__init__\.py))")


def profile(commands: list[Command], sizes: dict[int, dict[str, Path]], big: int,
            work: Path) -> None:
    import pstats

    for command in commands:
        stats = work / f"{command.key}-{big}.prof"
        paths = fresh_paths(command, sizes[big], f"profile-{command.key}", work)
        subprocess.run(command.profile_argv(*paths, stats), check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        print(f"\n=== {command.label}, {big:,} entries (cProfile, top 15 by cumulative time "
              f"below the command line's own wrappers; saved in {stats})")
        pstats.Stats(str(stats)).sort_stats("cumulative").print_stats(WRAPPERS, 15)


def main() -> None:
    parser = argparse.ArgumentParser(description="Benchmark qsi against the floor.")
    parser.add_argument("--entries", type=int, default=10000)
    parser.add_argument("--small", type=int, default=1000)
    parser.add_argument("--judges", type=int, default=100)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--only", action="append", default=[], metavar="CMD[,CMD...]",
                        help=f"measure only these: {', '.join(KEYS)} (packs-pdf runs "
                             "only when named)")
    parser.add_argument("--limit", type=float, default=300.0,
                        help="stop a run after this many seconds and report the command "
                             "over the limit (default 300)")
    parser.add_argument("--markdown", action="store_true", help="print a Markdown table")
    parser.add_argument("--work", type=Path, default=WORK,
                        help="where to generate the programmes and write (default bench/.work)")
    parser.add_argument("--profile", action="store_true",
                        help="profile each --only command once at --entries instead")
    args = parser.parse_args()
    only = [key for item in args.only for key in item.split(",") if key]
    unknown = sorted(set(only) - set(KEYS))
    if unknown:
        parser.error(f"unknown command {', '.join(unknown)}; choose from {', '.join(KEYS)}")
    commands = [c for c in COMMANDS if c.key in only or (not only and not c.opt_in)]

    # an editable install has no bytecode yet (and PYTHONDONTWRITEBYTECODE may be set):
    # compile it, as a normal install does, so start-up is measured as users see it
    import compileall

    import qsi_awards

    compileall.compile_dir(Path(qsi_awards.__file__).parent, quiet=1)
    started = time.perf_counter()
    work = args.work.resolve()
    sizes = {size: prepare(commands, size, args.judges, work)
             for size in ((args.small, args.entries) if commands else ())}
    if args.profile:
        profile(commands, sizes, args.entries, work)
        return
    bench = Bench(sizes, args.limit, work)
    floors = [floor for floor in FLOORS.values() if any(floor_of(c) is floor
                                                         for c in commands)]
    measured = [*floors, *commands]
    load_before = os.getloadavg()[0]
    if commands:
        measure_all(commands, args.small, args.entries, args.runs, bench)
    rows = [command_row(c, bench, args.small, args.entries) for c in measured]
    quick_keys = [k for k in QUICK if k in only or not only]
    fast = quick_rows(quick(quick_keys, args.runs * 5, args.limit)) if quick_keys else []

    print(f"{datetime.date.today()}: {platform.machine()}, {os.cpu_count()} cores, Python "
          f"{platform.python_version()}, {platform.platform()}; load average "
          f"{load_before:.1f} before, {os.getloadavg()[0]:.1f} after; --runs {args.runs}, "
          f"{time.perf_counter() - started:.0f} s in all")
    if rows:
        print()
        show(("command", f"{args.small:,}: wall", "ratio", f"{args.entries:,}: wall", "ratio",
              "peak RSS", "growth", "target", "result"), rows, args.markdown)
    if fast:
        print()
        show(QUICK_HEAD, fast, args.markdown)
    if any(row[-1].startswith("FAIL") for row in [*rows, *fast]):
        sys.exit(1)


if __name__ == "__main__":
    main()
