"""The commands that change a programme's input files (assignment stubs, a new entry,
a new programme, CODEOWNERS): they only add, keep every byte that was there, and write
atomically (fileio.py)."""
