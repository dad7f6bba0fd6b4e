"""The README's architecture tree shows the package as it is: every module and folder of
src/qsi_awards, and nothing that is gone."""

from __future__ import annotations

import re

from conftest import REPO

PACKAGE = REPO / "src" / "qsi_awards"


def test_the_readme_tree_is_the_package() -> None:
    readme = (REPO / "README.md").read_text("utf-8")
    tree = readme[readme.index("```\nsrc/qsi_awards/\n"):]
    tree = tree[:tree.index("\n```", 4)]
    listed = set(re.findall(r"^  ([a-z_]+(?:\.py|/))", tree, re.MULTILINE))
    actual = {path.name + ("/" if path.is_dir() else "") for path in PACKAGE.iterdir()
              if (path.suffix == ".py" and path.stem not in ("__init__", "__main__"))
              or (path.is_dir() and (path / "__init__.py").is_file())}
    assert listed == actual
