"""Benchmark qsi against the floor, in one run, on the same generated folders.

    python bench/run.py [--entries 10000] [--small 1000] [--runs 3]

Measures whole-process wall time (median of --runs) and peak RSS of:
  floor       bench/floor.py: read every file, split front matter, yaml.CSafeLoader
  validate    qsi validate --format json
  tally       qsi tally --format json
  help        qsi --help, against `python -c pass`
  validate-10 qsi validate on a 10-entry programme, against `python -c pass`
and prints each as a ratio to its baseline, with the targets of issue 6.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate import generate  # noqa: E402

WORK = HERE / ".work"


def run_once(argv: list[str]) -> tuple[float, float]:
    """(wall seconds, peak RSS MiB) of one run of a command."""
    start = time.perf_counter()
    process = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    err = process.stderr.read().decode() if process.stderr else ""
    if process.stderr:
        process.stderr.close()
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        raise SystemExit(f"{' '.join(argv)} exited {code}: {err[:500]}")
    return wall, usage.ru_maxrss / 1024


def measure(commands: dict[str, list[str]], runs: int) -> dict[str, tuple[float, float]]:
    """Median wall and peak RSS of each command. The commands take turns, round by round
    (after one warm-up round), so a change in the machine's load hits them all alike."""
    walls: dict[str, list[float]] = {name: [] for name in commands}
    peaks: dict[str, float] = dict.fromkeys(commands, 0.0)
    for round_number in range(runs + 1):
        for name, argv in commands.items():
            wall, rss = run_once(argv)
            if round_number:
                walls[name].append(wall)
                peaks[name] = max(peaks[name], rss)
    return {name: (statistics.median(walls[name]), peaks[name]) for name in commands}


def qsi(*args: str) -> list[str]:
    """The installed `qsi` script beside this Python (not a version-manager shim, which
    would add its own start-up to every measure)."""
    exe = Path(sys.executable).parent / "qsi"
    if not exe.exists():
        exe = Path(shutil.which("qsi") or "qsi")
    return [str(exe), *args]


def main() -> None:
    parser = argparse.ArgumentParser(description="Benchmark qsi against the floor.")
    parser.add_argument("--entries", type=int, default=10000)
    parser.add_argument("--small", type=int, default=1000)
    parser.add_argument("--judges", type=int, default=100)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    # an editable install has no bytecode yet (and PYTHONDONTWRITEBYTECODE may be set):
    # compile it, as a normal install does, so start-up is measured as users see it
    import compileall

    import qsi_awards

    compileall.compile_dir(Path(qsi_awards.__file__).parent, quiet=1)
    big = generate(WORK / f"p{args.entries}", args.entries, args.judges)
    small = generate(WORK / f"p{args.small}", args.small, args.judges)
    tiny = generate(WORK / "p10", 10, 5)
    python = [sys.executable, "-c", "pass"]
    floor = [sys.executable, str(HERE / "floor.py")]

    rows: list[tuple[str, float, float, float, str, bool]] = []

    def row(name: str, wall: float, rss: float, base: float, target: str, ok: bool) -> None:
        rows.append((name, wall, rss, wall / base, target, ok))

    big_runs = measure({
        "floor": [*floor, str(big)],
        "validate": qsi("validate", "-p", str(big), "--format", "json"),
        "tally": qsi("tally", "-p", str(big), "--format", "json"),
        "floor-small": [*floor, str(small)],
        "validate-small": qsi("validate", "-p", str(small), "--format", "json"),
    }, args.runs)
    floor_big, floor_rss = big_runs["floor"]
    row(f"floor ({args.entries} entries)", floor_big, floor_rss, floor_big, "baseline", True)
    validate_big, validate_rss = big_runs["validate"]
    row("qsi validate", validate_big, validate_rss, floor_big, "<= 1.5x floor, <= 300 MiB",
        validate_big / floor_big <= 1.5 and validate_rss <= 300)
    tally_big, tally_rss = big_runs["tally"]
    row("qsi tally", tally_big, tally_rss, floor_big, "<= 2x floor, <= 300 MiB",
        tally_big / floor_big <= 2 and tally_rss <= 300)
    floor_small, _ = big_runs["floor-small"]
    row(f"floor ({args.small} entries)", floor_small, 0, floor_small, "baseline", True)
    validate_small, _ = big_runs["validate-small"]
    row(f"qsi validate ({args.small} entries)", validate_small, 0, floor_small,
        "(for the growth below)", True)
    growth = validate_big / validate_small
    rows.append((f"validate {args.small} -> {args.entries}", validate_big, 0, growth,
                 "<= 11x", growth <= 11))
    quick = measure({"python": python, "help": qsi("--help"),
                     "tiny": qsi("validate", "-p", str(tiny))}, args.runs * 5)
    base, _ = quick["python"]
    row("python -c pass", base, 0, base, "baseline", True)
    help_wall, _ = quick["help"]
    row("qsi --help", help_wall, 0, base, "<= 150 ms", help_wall <= 0.150)
    tiny_wall, _ = quick["tiny"]
    row("qsi validate (10 entries)", tiny_wall, 0, base, "<= 150 ms", tiny_wall <= 0.150)

    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python "
          f"{platform.python_version()}, {platform.platform()}")
    print(f"{'measure':<34} {'wall':>9} {'peak RSS':>10} {'ratio':>7}  target")
    for name, wall, rss, ratio, target, ok in rows:
        rss_text = f"{rss:.0f} MiB" if rss else ""
        print(f"{name:<34} {wall * 1000:>7.0f}ms {rss_text:>10} {ratio:>6.2f}x  {target} "
              f"{'ok' if ok else 'MISSED'}")
    if not all(ok for *_, ok in rows):
        sys.exit(1)


if __name__ == "__main__":
    main()
