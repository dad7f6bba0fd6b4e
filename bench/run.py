"""Benchmark every command a national programme runs against the floor, in one run.

    python bench/run.py [--entries 10000] [--small 1000] [--runs 3] [--only CMD,...]
                        [--limit 300] [--markdown] [--profile]

Generates two programmes (--small and --entries entries, 100 judges, three complete
judgements per entry) and a copy of each whose score sheets are empty, then measures
whole-process wall time (median of --runs) and peak RSS of each command at both sizes:

  floor          bench/floor.py: read every file, split front matter, yaml.CSafeLoader
  validate       qsi validate --format json
  tally          qsi tally --format json
  assign         qsi assign --dry-run, on the copy with empty score sheets (every
                 judgement to add); its floor is that copy's floor
  shortlist, announcement, site, certificates
                 qsi render KIND --out DIR, into a fresh DIR every run
  packs          qsi render packs without the PDFs (bench/packs_html.py: WeasyPrint lays
                 out ~10 pages a second, and the packs of 10,000 entries hold ~65,000)
  packs-pdf      the whole qsi render packs, PDFs included, at --small only; not run
                 unless named in --only (it takes many minutes)
  help           qsi --help, against `python -c pass`
  example        qsi validate on the example programme (this repository), against
                 `python -c pass`

Each command is reported with its ratio to the floor of the same size and folder, its
peak RSS, its growth from --small to --entries, and the targets of issue 10 (checked at
--entries). After a warm-up round, the commands take turns round by round, each run
right after a run of its floor, at --small then at --entries; a ratio (or growth) is
the median of those pairs' ratios, so a change in the machine's load hits both sides
of it alike. A run longer than
--limit seconds is stopped and the command is reported over the limit (and not run
again, nor at the larger size). --profile runs each command of --only once at --entries
under cProfile and prints its top 15 functions by cumulative time instead.
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

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate import generate  # noqa: E402

WORK = HERE / ".work"
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


@dataclass(frozen=True)
class Command:
    """One measured command. `args(programme, out)` are its arguments after the program,
    which is qsi unless `script` names a Python script in bench/."""

    key: str  # the name --only takes
    label: str
    args: Callable[[Path, Path], list[str]]
    script: str | None = None
    unscored: bool = False  # runs on the copy whose score sheets are empty
    renders: bool = False  # writes under --out: a fresh folder for every run
    ratio: float | None = None  # target: at most this many times the floor
    growth: bool = False  # target: --small -> --entries at most GROWTH_LIMIT times
    small_only: bool = False
    opt_in: bool = False  # run only when --only names it

    def argv(self, programme: Path, out: Path) -> list[str]:
        program = [sys.executable, str(HERE / self.script)] if self.script else [qsi_exe()]
        return [*program, *self.args(programme, out)]

    def profile_argv(self, programme: Path, out: Path, stats: Path) -> list[str]:
        program = [str(HERE / self.script)] if self.script else ["-m", "qsi_awards"]
        return [sys.executable, "-m", "cProfile", "-o", str(stats), *program,
                *self.args(programme, out)]


def _render(kind: str) -> Callable[[Path, Path], list[str]]:
    return lambda programme, out: ["render", kind, "-p", str(programme), "--out", str(out)]


FLOOR = Command("floor", "floor: read, split, yaml.CSafeLoader", lambda p, o: [str(p)],
                script="floor.py")
FLOOR_UNSCORED = Command("floor", "floor, empty score sheets", lambda p, o: [str(p)],
                         script="floor.py", unscored=True)
COMMANDS = [
    Command("validate", "qsi validate --format json",
            lambda p, o: ["validate", "-p", str(p), "--format", "json"], ratio=1.3,
            growth=True),
    Command("tally", "qsi tally --format json",
            lambda p, o: ["tally", "-p", str(p), "--format", "json"], ratio=1.5, growth=True),
    Command("assign", "qsi assign --dry-run (empty sheets)",
            lambda p, o: ["assign", "--dry-run", "-p", str(p)], unscored=True, ratio=3,
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
    # The import (issue 10) goes here when `qsi import` exists: a Command whose args
    # import a file the generator writes (--small and --entries entries) into a fresh
    # copy of the programme every run, as `renders` gives each render a fresh folder.
]
NOT_YET = {"import": "`qsi import` does not exist yet"}
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
            raise SystemExit(f"{' '.join(argv)} exited {process.returncode}: "
                             f"{err.read(2000).decode(errors='replace')}")
    return wall, usage.ru_maxrss / 1024


def own_peak() -> float:
    """This process's peak RSS, MiB: a child's peak RSS never reads lower."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def mib(rss: float) -> str:
    """A peak RSS as text; one no higher than this process's own is only a bound."""
    if not rss:
        return "—"
    return f"≤ {rss:.0f} MiB" if rss <= own_peak() else f"{rss:.0f} MiB"


class Bench:
    def __init__(self, sizes: dict[int, tuple[Path, Path]], limit: float) -> None:
        self.sizes = sizes  # entries -> (programme, copy with empty sheets)
        self.limit = limit
        self.results: dict[tuple[str, int, bool], Measure] = {}

    def once(self, command: Command, size: int, keep: bool) -> float | None:
        """Run `command` at `size` once and return its wall time (None if it is over the
        limit); keep the measure unless it is the warm-up."""
        name = (command.key, size, command.unscored)
        measure = self.results.setdefault(name, Measure([]))
        smaller = [self.results.get((command.key, other, command.unscored))
                   for other in self.sizes if other < size]
        measure.over = measure.over or any(m is not None and m.over for m in smaller)
        if measure.over:
            return None
        programme = self.sizes[size][1 if command.unscored else 0]
        out = WORK / "out" / f"{command.key}-{size}"
        if command.renders and out.exists():
            shutil.rmtree(out)
        result = run_once(command.argv(programme, out), self.limit)
        if result is None:
            measure.over = True
            return None
        if keep:
            measure.walls.append(result[0])
            measure.rss = max(measure.rss, result[1])
        return result[0]

    def get(self, command: Command, size: int) -> Measure:
        return self.results[(command.key, size, command.unscored)]


def floor_of(command: Command) -> Command:
    return FLOOR_UNSCORED if command.unscored else FLOOR


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


def quick(keys: list[str], runs: int, limit: float) -> dict[str, Measure]:
    """`python -c pass`, `qsi --help`, the example programme's validate: interleaved."""
    argvs = {"python": [sys.executable, "-c", "pass"], "help": [qsi_exe(), "--help"],
             "example": [qsi_exe(), "validate", "-p", str(EXAMPLE)]}
    chosen = {k: v for k, v in argvs.items() if k == "python" or k in keys}
    found = {k: Measure([]) for k in chosen}
    for round_number in range(runs + 1):
        for key, argv in chosen.items():
            result = run_once(argv, limit)
            if result is None:
                raise SystemExit(f"{' '.join(argv)} ran past --limit {limit} s")
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
            r"|qsi_awards/entry\.py|qsi_awards/cli/__init__\.py))")


def profile(commands: list[Command], sizes: dict[int, tuple[Path, Path]], big: int) -> None:
    import pstats

    for command in commands:
        programme = sizes[big][1 if command.unscored else 0]
        out = WORK / "out" / f"profile-{command.key}"
        if out.exists():
            shutil.rmtree(out)
        stats = WORK / f"{command.key}-{big}.prof"
        subprocess.run(command.profile_argv(programme, out, stats), check=True,
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
    parser.add_argument("--profile", action="store_true",
                        help="profile each --only command once at --entries instead")
    args = parser.parse_args()
    only = [key for item in args.only for key in item.split(",") if key]
    unknown = sorted(set(only) - set(KEYS) - set(NOT_YET))
    if unknown:
        parser.error(f"unknown command {', '.join(unknown)}; choose from {', '.join(KEYS)}")
    commands = [c for c in COMMANDS if c.key in only or (not only and not c.opt_in)]

    # an editable install has no bytecode yet (and PYTHONDONTWRITEBYTECODE may be set):
    # compile it, as a normal install does, so start-up is measured as users see it
    import compileall

    import qsi_awards

    compileall.compile_dir(Path(qsi_awards.__file__).parent, quiet=1)
    started = time.perf_counter()
    sizes: dict[int, tuple[Path, Path]] = {}
    for size in (args.small, args.entries) if commands else ():
        sizes[size] = (
            generate(WORK / f"p{size}", size, args.judges)
            if any(not c.unscored for c in commands) else WORK,
            generate(WORK / f"u{size}", size, args.judges, scored=False)
            if any(c.unscored for c in commands) else WORK)
    if args.profile:
        profile(commands, sizes, args.entries)
        return
    bench = Bench(sizes, args.limit)
    floors = ([FLOOR] if any(not c.unscored for c in commands) else []) + (
        [FLOOR_UNSCORED] if any(c.unscored for c in commands) else [])
    measured = [*floors, *commands]
    load_before = os.getloadavg()[0]
    if commands:
        measure_all(commands, args.small, args.entries, args.runs, bench)
    rows = [command_row(c, bench, args.small, args.entries) for c in measured]
    for key, why in NOT_YET.items():
        if key in only or not only:
            rows.append((f"qsi {key}", "", "", "", "", "", "", "", f"not measured: {why}"))
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
