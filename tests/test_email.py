"""E-mail addresses: one definition (model.EMAIL_PATTERN and EMAIL_MAX, which the JSON
Schema carries as `pattern` and `maxLength`), checked against a table of real and
malformed addresses by every engine that reads it: Python's re (`qsi validate`, through
schemacheck), Rust's regex (pydantic-core) and ECMA-262 (the JSON Schema validators in
editors; here Node.js, with the `u` flag they use)."""

from __future__ import annotations

import copy
import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from conftest import BASE, REPO, copy_base, run_cli
from qsi_awards import model
from qsi_awards.load import split_front_matter, validation, yamlparse

GOOD = [
    "priya.shah@example.nhs.uk", "o'brien@nhs.net", "first+tag@sub.domain.org",
    "PRIYA.SHAH@NHS.NET", "a@b.co", "x@xn--p1ai.xn--p1ai", "a_b-c@d-e.f-g.com",
    "user@123.example.com", "!#$%&'*+/=?^_`{|}~-@example.org", "a.b.c@example.com",
    "a@" + "b" * 63 + ".com",  # the longest domain label
    "a" * 242 + "@example.com",  # 254 characters, the most an address may have
]
BAD = [
    "", "priya.shah", "@b.com", "a@", "a@b", "a@localhost", "a@@b.com", "a@b@c.com",
    "a@b..com", ".a@b.com", "a.@b.com", "a..b@c.com", "a@.com", "a@b.com.", "a@-b.com",
    "a@b-.com", "a@b.-com", "a@b.com-", "a@b.c", "a@b.123", "a@b_c.com",
    "a b@c.com", " a@b.com", "a@b.com ", "a\t@b.com", "a@b.com\n", "a\n@b.com",
    "a@b\x00.com", "a\x7f@b.com", "a\u200b@b.com",
    "josé@example.com", "a@exämple.com", "jose\u0301@example.com",
    '"a b"@example.com', "a(b)@c.com", "a,b@c.com", "a;b@c.com", "a<b>@c.com", "a[b]@c.com",
    "a\\b@c.com", 'a"b@c.com', "a:b@c.com", "a@[127.0.0.1]", "mailto:a@b.com",
    "a@b.com,c@d.com",
    "a@" + "b" * 64 + ".com",  # a domain label over 63
    "a" * 243 + "@example.com",  # 255 characters
]


def entry_with(address: str) -> dict[str, Any]:
    split = split_front_matter((BASE / "entries" / "falls-huddles.md").read_text("utf-8"))
    assert not isinstance(split, str)
    document, _ = yamlparse.parse(split[0])
    document = copy.deepcopy(document)
    document["lead"]["email"] = address
    return dict(document)


def pydantic_accepts(document: dict[str, Any]) -> bool:
    try:
        model.FILE_KINDS["entry"].model_validate(document)
    except ValidationError:
        return False
    return True


@pytest.mark.parametrize("address", GOOD)
def test_real_addresses_pass(address: str) -> None:
    document = entry_with(address)
    assert validation.check("entry", document) == []
    assert pydantic_accepts(document)


@pytest.mark.parametrize("address", BAD)
def test_malformed_addresses_fail(address: str) -> None:
    document = entry_with(address)
    errors = validation.check("entry", document)
    assert [(e.path, e.code) for e in errors] == [(("lead", "email"), "bad-email")]
    assert not pydantic_accepts(document)


def test_editors_read_the_schema_the_same_way() -> None:
    """The committed schema's pattern and maxLength, run by an ECMA-262 engine."""
    node = shutil.which("node")
    if node is None:
        pytest.fail("Node.js is not installed; run .ci/install")
    email = json.loads((REPO / "schemas" / "entry.json").read_text("utf-8"))[
        "$defs"]["Lead"]["properties"]["email"]
    script = ("const [pattern, max, addresses] = JSON.parse(require('fs').readFileSync(0));"
              "const re = new RegExp(pattern, 'u');"
              "console.log(JSON.stringify(addresses.map("
              "a => re.test(a) && [...a].length <= max)));")
    done = subprocess.run([node, "-e", script], capture_output=True, text=True, check=True,
                          input=json.dumps([email["pattern"], email["maxLength"], GOOD + BAD]))
    assert json.loads(done.stdout) == [True] * len(GOOD) + [False] * len(BAD)


def test_validate_reports_a_malformed_address(tmp_path: Path) -> None:
    root = copy_base(tmp_path / "p")
    entry = root / "entries" / "falls-huddles.md"
    entry.write_text(entry.read_text("utf-8").replace("priya.shah@example.nhs.uk",
                                                      "priya.shah@example..nhs.uk"), "utf-8")
    result = run_cli(["validate", "-p", root])
    assert result.exit_code == 1
    # column 55: after "lead: {name: Priya Shah, role: Practice Nurse, email: " (54)
    assert ("entries/falls-huddles.md:6:55: bad-email 'lead.email' should be an e-mail "
            "address such as name@example.nhs.uk, but it is 'priya.shah@example..nhs.uk'."
            ) in result.stdout
