"""Judging: pure functions over programme data (conflicts, assignment, tally). No I/O."""
