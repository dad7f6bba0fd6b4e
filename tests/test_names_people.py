"""People's names, e-mail addresses and handles as people write them (names.py): what
`qsi person` finds and `qsi archive` takes out."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qsi_awards.names import (
    POSTNOMINALS,
    TITLES,
    NameFinder,
    email_pattern,
    find,
    folded,
    name_pattern,
    name_words,
    person_key,
    word_pattern,
)


def found(pattern_text: str, text: str, kind: str = "name") -> list[str]:
    pattern = {"name": name_pattern, "email": email_pattern, "word": word_pattern}[kind](
        pattern_text)
    assert pattern is not None
    return [text[start:end] for start, end in find(pattern, text)]


@pytest.mark.parametrize(("text", "expected"), [
    ("Thanks to Jo O'Neill.", ["Jo O'Neill"]),
    ("THANKS TO JO O’NEILL", ["JO O’NEILL"]),                   # case, a curly apostrophe
    ("Dr. Jo M. O'Neill led it", ["Jo M. O'Neill"]),            # a title, a middle initial
    ("Jo M O'Neill and Jo A. B. O'Neill", ["Jo M O'Neill", "Jo A. B. O'Neill"]),
    ("O'Neill, Jo: lead", ["O'Neill, Jo"]),                     # surname first
    ("Jó O’Néill's team", ["Jó O’Néill"]),                      # accents, a possessive
    ("Jo\n  O'Neill", ["Jo\n  O'Neill"]),                       # across a line break
    ("Jo\u00a0O'Neill", ["Jo\u00a0O'Neill"]),                   # a non-breaking space
    ("Jo\u0301 O'Neill", ["Jo\u0301 O'Neill"]),                 # a combining accent
    ("Mary-Jo O'Neill", []), ("Jo O'Neill-Smith", []), ("Joanne O'Neill", []),
    ("Jo Anne O'Neill", []), ("Jo O'Neilly", []), ("jo.oneill@nhs.net", []),
    ("JoO'Neill", []),
])
def test_a_name_as_people_write_it(text: str, expected: list[str]) -> None:
    assert found("Dr Jo O'Neill", text) == expected


@pytest.mark.parametrize("query", ["Dr Jo O'Neill", "jo o’neill", "O'Neill, Jo",
                                   "Prof Jó O'Néill PhD", "Mrs Jo M. O'Neill",
                                   "Jo O'Neill <jo@example.org>"])
def test_spellings_of_one_name_have_one_key(query: str) -> None:
    assert person_key(query) == "jo o'neill"
    assert found(query, "said Jo O'Neill.") == ["Jo O'Neill"]


def test_name_words() -> None:
    assert name_words("Dr Jo M. O’Neill") == ["jo", "m", "o'neill"]
    assert name_words("O'Neill, Jo, PhD") == ["jo", "o'neill"]
    assert name_words("Jo O'Neill, MBE") == ["jo", "o'neill"]
    assert name_words("Dr") == ["dr"]  # a title alone is a word
    assert name_words("!!") == [] and name_pattern("!!") is None


def test_e_mail_addresses_and_handles() -> None:
    text = "Mail JO.ONEILL@NHS.NET, xjo.oneill@nhs.net or jo.oneill@nhs.net.uk today."
    assert found("jo.oneill@nhs.net", text, "email") == ["JO.ONEILL@NHS.NET"]
    text = ("@jo-oneill, github.com/Jo-ONeill, jo-oneill@nhs.net, mary-jo-oneill, "
            "jo-oneill.github.io and jo-oneill.")
    assert found("@jo-oneill", text, "word") == ["@jo-oneill", "Jo-ONeill", "jo-oneill"]


def test_folding_keeps_where_each_character_came_from() -> None:
    text = "Stra\u00dfe \ufb01rst Jo\u0301 \u2019"
    fold, where = folded(text)
    assert fold == "strasse first jo '"
    assert where is not None and len(where) == len(fold)
    assert [text[i] for i in where[:7]] == ["S", "t", "r", "a", "\u00df", "\u00df", "e"]
    assert folded("Plain ASCII") == ("plain ascii", None)


# not a title or letters after a name, even once accents are taken off ('rñ' reads 'rn',
# a registered nurse's letters, so 'Aa Rñ' is the one-word name Aa with her letters)
NAMES = st.text(alphabet="abcdefghijklmnopqrstuvwxyzéáöñ", min_size=2, max_size=8).filter(
    lambda word: folded(word)[0] not in TITLES | POSTNOMINALS)


def _style(word: str, how: int) -> str:
    word = word.capitalize() if how % 3 == 0 else word.upper() if how % 3 == 1 else word
    if how % 2:  # the accents written as combining characters, or taken off
        word = unicodedata.normalize("NFD", word)
    return word


@settings(max_examples=200, deadline=None)
@given(first=NAMES, last=NAMES, how=st.integers(0, 5), title=st.sampled_from(["", "Dr ", "Mx "]),
       initial=st.sampled_from(["", " K.", " K"]), before=st.sampled_from(["", "by ", "(", "- "]),
       after=st.sampled_from(["", ".", "'s work", ", who", ")"]))
def test_a_name_is_found_however_it_is_written(first: str, last: str, how: int, title: str,
                                               initial: str, before: str, after: str) -> None:
    written = f"{_style(first, how)}{initial} {_style(last, how + 1)}"
    text = f"{before}{title}{written}{after}"
    start = len(before) + len(title)
    query = f"{first.upper()} {last}"
    pattern = name_pattern(query)
    assert pattern is not None
    if first == last:  # 'Anna Anna': the surname-first spelling may match too
        return
    assert find(pattern, text) == [(start, start + len(written))]


PEOPLE = st.lists(st.builds(lambda a, b: f"{a} {b}", NAMES, NAMES), min_size=1, max_size=4)
PROSE = st.lists(st.one_of(NAMES, st.sampled_from([",", ".", "Dr", "K.", "'s", "\n", "-"])),
                 max_size=30)


@settings(max_examples=200, deadline=None)
@given(people=PEOPLE, words=PROSE, mentioned=st.lists(st.integers(0, 3), max_size=3))
def test_the_name_finder_finds_what_each_pattern_finds(people: list[str], words: list[str],
                                                       mentioned: list[int]) -> None:
    """NameFinder (many names in one pass, for the archive) finds exactly what each
    name's own pattern finds."""
    for index in mentioned:  # some of the names, written into the text
        words.insert(len(words) // 2, people[index % len(people)].upper())
    text = " ".join(words)
    finder = NameFinder([(name, name) for name in people])
    expected = set()
    for name in people:
        pattern = name_pattern(name)
        assert pattern is not None
        expected |= {(start, end, name) for start, end in find(pattern, text)}
    assert set(finder.find(text)) == expected
