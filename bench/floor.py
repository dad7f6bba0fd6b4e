"""The floor: read every file, split the front matter and parse all YAML with
yaml.CSafeLoader — nothing else. Every qsi timing is reported as a ratio to this."""

from __future__ import annotations

import os
import sys

import yaml


def main(root: str) -> None:
    count = 0
    for name in ("programme.yaml", "categories.yaml", "judges.yaml"):
        with open(os.path.join(root, name), encoding="utf-8") as handle:
            yaml.load(handle.read(), Loader=yaml.CSafeLoader)
            count += 1
    for folder, is_entry in (("entries", True), ("scores", False)):
        for name in sorted(os.listdir(os.path.join(root, folder))):
            with open(os.path.join(root, folder, name), encoding="utf-8") as handle:
                text = handle.read()
            if is_entry:
                _, front, _body = text.split("---\n", 2)
                text = front
            yaml.load(text, Loader=yaml.CSafeLoader)
            count += 1
    print(count)


if __name__ == "__main__":
    main(sys.argv[1])
