"""Reading a programme folder: files, YAML events, front matter, and validation into the
typed models (model/). The only place that reads input files."""

from .folder import (
    ADOPTION,
    CATEGORIES,
    DECISIONS,
    ID_RE,
    JUDGES,
    MAX_BYTES,
    PROGRAMME,
    WINDOWS_NAMES,
    Doc,
    Entry,
    Folder,
    Sheet,
    find_root,
    load,
    read_entry,
    read_yaml,
    split_front_matter,
)

__all__ = [
    "ADOPTION", "CATEGORIES", "DECISIONS", "ID_RE", "JUDGES", "MAX_BYTES", "PROGRAMME",
    "WINDOWS_NAMES", "Doc", "Entry", "Folder", "Sheet", "find_root", "load", "read_entry",
    "read_yaml", "split_front_matter",
]
