"""Names as a person reads them: the one comparison for organisation names (conflicts of
interest, adopting organisations, counts) and section titles."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache


@lru_cache(maxsize=4096)
def name_key(text: str) -> str:
    """`text` folded so that names a person reads as the same compare equal:

    - Unicode compatibility forms are one (NFKC: full-width 'Ｔｒｕｓｔ', the ligature 'ﬁ'
      and a composed or decomposed 'é' read as 'Trust', 'fi' and 'é');
    - case is ignored (casefold, so 'STRASSE' is 'straße');
    - invisible format characters (zero-width spaces and joiners, soft hyphens, direction
      marks) are dropped;
    - every run of white space (line breaks, tabs, non-breaking and other Unicode spaces)
      is one space, with none at either end.

    Nothing else: punctuation, '&' against 'and', and abbreviations still differ."""
    if text.isascii():
        return " ".join(text.casefold().split())
    text = "".join(char for char in unicodedata.normalize("NFKC", text)
                   if unicodedata.category(char) != "Cf")
    return " ".join(unicodedata.normalize("NFKC", text.casefold()).split())


# People: names, e-mail addresses and GitHub handles as people write them, for `qsi
# person` (every mention of someone) and `qsi archive` (take them out of free text).
# Matching works on folded text (see `folded`): accents, case, compatibility forms,
# invisible format characters and the styles of apostrophes and dashes aside.

_STYLES = {"\u2018": "'", "\u2019": "'", "\u02bc": "'", "\u2032": "'", "`": "'",
           "\u00b4": "'", "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-",
           "\u2014": "-", "\u2212": "-"}
# Words before a name that are not part of it, and letters after it
TITLES = frozenset({"dr", "doctor", "mr", "mrs", "ms", "miss", "mx", "prof", "professor",
                    "sir", "dame", "lord", "lady", "rev", "revd", "reverend", "cllr",
                    "sister"})
POSTNOMINALS = frozenset({"phd", "md", "mbe", "obe", "cbe", "frcp", "frcs", "frcgp",
                          "mrcgp", "rgn", "rn", "rmn", "msc", "bsc", "ma", "ba", "mba",
                          "mph", "jp", "kc", "qc"})
_TOKEN = re.compile(r"[^\W_]+(?:['-][^\W_]+)*")
_NOT_BEFORE = r"(?<![^\W_])(?<![^\W_]-)(?<![^\W_]')"
_NOT_AFTER = r"(?![^\W_]|-[^\W_]|'(?!s(?![^\W_]))[^\W_])"  # "O'Neill's" is O'Neill
_INITIAL = r"[^\W\d_]\.?"
_EMAIL_BEFORE = r"(?<![\w.!#$%&'*+/=?^`{|}~-])"


def _fold_char(char: str) -> str:
    if char.isascii():
        return char.lower()
    if unicodedata.category(char) == "Cf":
        return ""
    if char.isspace():
        return " "
    char = _STYLES.get(char, char)
    return "".join(part for part in unicodedata.normalize("NFKD", char)
                   if not unicodedata.combining(part)).casefold()


def folded(text: str) -> tuple[str, list[int] | None]:
    """`text` as people are matched in it, and where each of its characters came from in
    `text` (None when it is where it was: plain ASCII text only changes case)."""
    if text.isascii():
        return text.lower(), None
    pieces: list[str] = []
    where: list[int] = []
    for index, char in enumerate(text):
        piece = _fold_char(char)
        pieces.append(piece)
        where.extend([index] * len(piece))
    return "".join(pieces), where


def find(pattern: re.Pattern[str], text: str,
         fold: tuple[str, list[int] | None] | None = None) -> list[tuple[int, int]]:
    """Where `pattern` (made by name_pattern, email_pattern or word_pattern) matches
    `text`, as (start, end) indices of `text` itself; `fold` is `folded(text)`, when it
    is already known."""
    fold_text, where = fold if fold is not None else folded(text)
    return [original(text, where, *match.span()) for match in pattern.finditer(fold_text)]


def original(text: str, where: list[int] | None, start: int, end: int) -> tuple[int, int]:
    """The span of `text` that the span (start, end) of its folded text came from
    (`where` as folded(text) gives it)."""
    if where is None:
        return start, end
    stop = where[end - 1] + 1
    while stop < len(text) and not _fold_char(text[stop]):  # a combining accent
        stop += 1
    return where[start], stop


def name_words(name: str) -> list[str]:
    """The words of a person's name that identify them, folded: without titles (Dr,
    Mrs, Prof, ...), letters after the name (PhD, MBE, ...) or an 'e-mail' in angle
    brackets; 'Surname, First' is read as 'First Surname'.
    'Dr Jo M. O’Neill' -> ['jo', 'm', "o'neill"]."""
    name = re.sub(r"<[^<>]*@[^<>]*>", " ", name)
    parts = name.split(",")
    while len(parts) > 1 and all(word in POSTNOMINALS
                                 for word in _TOKEN.findall(folded(parts[-1])[0])):
        parts.pop()  # ', PhD'
    if len(parts) == 2:
        parts.reverse()  # 'O'Neill, Jo' is Jo O'Neill
    name = " ".join(parts)
    fold = folded(name)[0]
    words = [word.removesuffix("'s") for word in _TOKEN.findall(fold)]
    while len(words) > 1 and words[0] in TITLES:
        words.pop(0)
    while len(words) > 1 and words[-1] in POSTNOMINALS:
        words.pop()
    return words


def person_key(name: str) -> str:
    """One spelling of a person's name for comparing names: its first and last words
    (name_words), so 'Dr Jo M. O'Neill' and 'jo o’neill' have the same key."""
    words = name_words(name)
    return " ".join(words[:1] + words[1:][-1:])


def name_pattern(name: str) -> re.Pattern[str] | None:
    """A pattern for the folded text that finds `name` as people write it: whatever the
    case, accents or apostrophes, with or without a title before it, middle initials
    ('Jo M. O'Neill') or the middle names it gives, and surname first ('O'Neill, Jo').
    A one-word name is that whole word. None when the name has no words."""
    words = tuple(name_words(name))
    return _words_pattern(words) if words else None


@lru_cache(maxsize=65536)
def _words_pattern(words: tuple[str, ...]) -> re.Pattern[str]:
    if len(words) == 1:
        return re.compile(_NOT_BEFORE + re.escape(words[0]) + _NOT_AFTER)
    first, *middle, last = words
    extra = "|".join([_INITIAL, *(re.escape(word) for word in middle if len(word) > 1)])
    middles = r"(?:\s+(?:" + extra + r")){0,3}"
    forward = re.escape(first) + middles + r"\s+" + re.escape(last)
    backward = re.escape(last) + r"\s*,\s*" + re.escape(first) + middles
    return re.compile(_NOT_BEFORE + "(?:" + forward + "|" + backward + ")" + _NOT_AFTER)


def email_pattern(address: str) -> re.Pattern[str]:
    """A pattern for the folded text that finds an e-mail address, in any case."""
    return re.compile(_EMAIL_BEFORE + re.escape(folded(address.strip())[0])
                      + r"(?![\w-]|\.[\w-])")


def word_pattern(word: str) -> re.Pattern[str]:
    """A pattern for the folded text that finds a GitHub handle or an ID as a word of
    its own, with or without an '@' before it (not as part of an e-mail address or a
    web address's host name)."""
    return words_pattern([word])


def words_pattern(words: Iterable[str]) -> re.Pattern[str]:
    """word_pattern for any of `words` at once; the word found, without its '@' and
    folded, is the match's group 1."""
    bare = sorted({folded(word.strip().removeprefix("@"))[0] for word in words}, key=len,
                  reverse=True)
    return re.compile(r"(?<![\w.@-])@?(" + "|".join(map(re.escape, bare))
                      + r")(?![\w@-]|\.\w)")


class NameFinder:
    """Many people's names (name_pattern each), found together in a text in one pass:
    a name is tried only where a word of the text is its first word, or its last
    (written surname first), so only the names a text may hold are ever compiled. Each
    name carries a value (what to replace it with, say)."""

    def __init__(self, names: Iterable[tuple[str, str]]) -> None:
        self._at: dict[str, list[tuple[tuple[str, ...], str]]] = {}
        seen: set[tuple[tuple[str, ...], str]] = set()
        for name, value in names:
            words = tuple(name_words(name))
            if not words or (words, value) in seen:
                continue
            seen.add((words, value))
            for word in {words[0], words[-1]}:
                self._at.setdefault(word, []).append((words, value))

    def __bool__(self) -> bool:
        return bool(self._at)

    def find(self, text: str, fold: tuple[str, list[int] | None] | None = None,
             *others: NameFinder) -> list[tuple[int, int, str]]:
        """Every (start, end, value) of a name of this finder or the `others` in `text`,
        as indices of `text` itself (one name's matches never overlap, as with finditer;
        two names' may); `fold` is folded(text), when it is known."""
        fold_text, where = fold if fold is not None else folded(text)
        finders = [self, *others]
        found: list[tuple[int, int, str]] = []
        ends: dict[tuple[tuple[str, ...], str], int] = {}  # where each name's last match ends
        for token in _TOKEN.finditer(fold_text):
            word = token.group(0)
            bare = word.removesuffix("'s")  # the token of "O'Neill's" is one word
            for finder in finders:
                tried = finder._at.get(word, []) + (finder._at.get(bare, []) if bare != word
                                                    else [])
                for words, value in tried:
                    if token.start() < ends.get((words, value), 0):
                        continue
                    match = _words_pattern(words).match(fold_text, token.start())
                    if match is not None:
                        ends[(words, value)] = match.end()
                        found.append((*original(text, where, *match.span()), value))
        return found
