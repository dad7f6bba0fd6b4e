"""Entrant text, made safe for each kind of output.

- HTML: entry bodies go through markdown-it with raw HTML off, images off and links
  limited to http(s), mailto and relative paths (anything else, `//host` and `/path`
  included, stays as inert text).
- Markdown outputs (shortlist.md, press-release.md, tally, status and adoption as
  Markdown, the job summaries): md_escape, the one escaper, collapses every value to one
  line and escapes it so that it reads as its text and never becomes a link, autolink,
  image, tag, heading, list, emphasis or table cell, nor an @mention or #123 reference
  on GitHub; md_code_cell shows a path as code in a table cell.
- Social posts: titles are shortened at a word boundary with an ellipsis; lengths are
  counted the way the big platforms count them (some characters count twice).
- Judge packs: the entry's organisation, people, e-mail and handle are redacted from
  its free text, and so is every e-mail address, web address and @handle.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from functools import lru_cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.rules_core import StateCore
    from markdown_it.token import Token

    from ..model import EntryFile, ProgrammeFile

SAFE_SCHEMES = frozenset({"http", "https", "mailto"})
_SCHEME = re.compile(r"([a-zA-Z][a-zA-Z0-9+.\-]*):")
_FIRST_SEGMENT = re.compile(r"[^/?#]*")
_ROOTED = re.compile(r"/|\\|%2f|%5c", re.IGNORECASE)  # '/' or '\', maybe percent-encoded


def safe_link(url: str) -> bool:
    """True for http(s) and mailto links and for relative links that stay relative. A
    colon before the first '/', '?' or '#' means a scheme to a browser, so anything else
    with one is refused, whatever its spelling (`JaVaScRiPt:`, `java%09script:`, `data:`
    ...). So is a link that starts with '/' or '\\', even percent-encoded: from file:// an
    absolute path is the root of the reader's disk, and `//host`, `/\\host` and `\\\\host`
    reach another machine (a UNC path on Windows)."""
    url = url.strip()
    match = _SCHEME.match(url)
    if match:
        return match.group(1).lower() in SAFE_SCHEMES
    if _ROOTED.match(url):
        return False
    first = _FIRST_SEGMENT.match(url)
    return first is None or ":" not in first.group(0)


@lru_cache(maxsize=2)
def markdown_parser(inline: bool = True) -> MarkdownIt:
    """The one reading of entry Markdown, for the site, the judge packs and the word
    counts: CommonMark with raw HTML off (shown as text), links limited to safe_link,
    images shown as links, and a paragraph that is only an HTML comment (a note to the
    writer, like the word limits `qsi new entry` writes) left out, as GitHub leaves it
    out. `inline=False` stops at the blocks (headings, paragraphs, lists, quotes, code)."""
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark", {"html": False})
    md.validateLink = safe_link  # type: ignore[method-assign]
    md.add_render_rule("image", _image_as_link)
    md.core.ruler.after("block", "qsi_notes", _drop_notes)
    if not inline:
        md.disable("inline")
    return md


_NOTE = re.compile(r"(?:<!--(?:(?!-->).)*-->\s*)+", re.DOTALL)


def _drop_notes(state: StateCore) -> None:
    tokens = state.tokens
    kept: list[Token] = []
    index = 0
    while index < len(tokens):
        if (tokens[index].type == "paragraph_open" and index + 2 < len(tokens)
                and _NOTE.fullmatch(tokens[index + 1].content)):
            index += 3  # paragraph_open, inline, paragraph_close
            continue
        kept.append(tokens[index])
        index += 1
    state.tokens = kept


def _image_as_link(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any
                   ) -> str:
    """An image would be a network request from the page: it becomes a link to it."""
    from markdown_it.common.utils import escapeHtml

    token = tokens[idx]
    src = escapeHtml(str(token.attrGet("src") or ""))
    alt = escapeHtml(self.renderInlineAsText(token.children or [], options, env)) or src
    return f'<a href="{src}" rel="nofollow noopener noreferrer">{alt}</a>'


def render_markdown(text: str, top_level: int = 2) -> str:
    """Entry Markdown as HTML: raw HTML escaped, unsafe links left as text, headings
    shifted so the body's highest heading is `<h{top_level}>`."""
    plain = plain_markdown(text, top_level)
    return plain if plain is not None else markdown_it_html(text, top_level)


def markdown_it_html(text: str, top_level: int = 2) -> str:
    """render_markdown through markdown-it, whatever the text."""
    md = markdown_parser()
    tokens = md.parse(text)
    levels = [int(t.tag[1]) for t in tokens if t.type == "heading_open"]
    shift = top_level - min(levels) if levels else 0
    for token in _walk(tokens):
        if token.type in ("heading_open", "heading_close"):
            token.tag = f"h{max(1, min(6, int(token.tag[1]) + shift))}"
        elif token.type == "link_open":
            href = str(token.attrGet("href") or "")
            if _SCHEME.match(href):
                token.attrSet("rel", "nofollow noopener noreferrer")
    html: str = md.renderer.render(tokens, md.options, {})
    return html


# What could start Markdown syntax (emphasis, code, a link or image, an escape, a tag
# or autolink, an entity, a fence) or that markdown-it reads other than as text (a tab, a
# carriage return, a control character): any of them, and a text goes to markdown-it. A
# `#` may start a heading line, and nothing else (plain_markdown).
_SYNTAX = re.compile(r"[\\`*_\[\]!<>&~\t\r\x00-\x08\x0b-\x1f\x7f-\x9f]")
_LIST_NUMBER = re.compile(r"\d+[.)]")


def plain_markdown(text: str, top_level: int = 2) -> str | None:
    """render_markdown's HTML, byte for byte, for text that is only prose paragraphs and
    `#` headings with no Markdown syntax in them; None for anything else (which
    markdown-it reads), decided conservatively. Entry bodies are mostly such text, and
    markdown-it took about a quarter of the showcase site's time.

    Plain means: no character of _SYNTAX, and no `#` except those that start a heading
    line (`## Title`: one to six, one space, then the title, with no white space at its
    end); every other line empty, or without white space at its end and starting with a
    letter, `(`, a quote or a number that is not a list item's (`1.`), so that it can only
    be a paragraph's. A paragraph is then its lines, a heading its title, HTML-escaped as
    markdown-it does."""
    from markdown_it.common.utils import escapeHtml

    if _SYNTAX.search(text):
        return None
    blocks: list[tuple[int, str]] = []  # (heading level, or 0 for a paragraph; its text)
    lines: list[str] = []
    for line in (*text.split("\n"), ""):
        if not line:
            if lines:
                blocks.append((0, "\n".join(lines)))
                lines = []
            continue
        first = line[0]
        if first == "#":
            marks, space, title = line.partition(" ")
            if (not space or len(marks) > 6 or marks.strip("#") or not title or "#" in title
                    or title[0].isspace() or title[-1].isspace()):
                return None
            if lines:
                blocks.append((0, "\n".join(lines)))
                lines = []
            blocks.append((len(marks), title))
        elif ("#" in line or line[-1].isspace()
              or not (first.isalpha() or first in "(\"'"
                      or (first.isdigit() and not _LIST_NUMBER.match(line)))):
            return None
        else:
            lines.append(line)
    levels = [level for level, _ in blocks if level]
    shift = top_level - min(levels) if levels else 0
    html = []
    for level, content in blocks:
        if level:
            tag = f"h{max(1, min(6, level + shift))}"
            html.append(f"<{tag}>{escapeHtml(content)}</{tag}>\n")
        else:
            html.append(f"<p>{escapeHtml(content)}</p>\n")
    return "".join(html)


def _walk(tokens: Sequence[Token]) -> list[Token]:
    found: list[Token] = []
    for token in tokens:
        found.append(token)
        if token.children:
            found.extend(_walk(token.children))
    return found


def in_sentence(label: str) -> str:
    """A label as it reads inside a sentence: 'Primary care' as 'primary care'; one that
    starts with an abbreviation ('NHS 111 services') as it is."""
    if len(label) > 1 and label[0].isupper() and label[1].islower():
        return label[0].lower() + label[1:]
    return label


def settings_words(programme: ProgrammeFile, ids: Sequence[str]) -> str:
    """Care settings by their labels, in a sentence: 'primary care', 'primary care or
    mental health services'."""
    words = [in_sentence(programme.setting_label(i)) for i in ids]
    return "".join(words) if len(words) < 2 else ", ".join(words[:-1]) + " or " + words[-1]


def one_line(text: str) -> str:
    """White space (new lines included) collapsed to single spaces."""
    return " ".join(str(text).split())


# Backslash-escaped (CommonMark renders `\\c` as `c` for any ASCII punctuation): what could
# start emphasis, code, a link or image, a tag, a table cell, strikethrough or maths; a
# run of `#` on its own (a heading, or the end of one); `&` before a character reference;
# and the `.`, `:` and `/` of web addresses GitHub (and linkify) would turn into links:
# www.x, x.org, https://x, //x, mailto:x (in any case). A hashtag stays as it is.
_MD_ESCAPE = (r"[\\`*_\[\]<>|~$]|(?<!\S)#(?=#*(?:\s|$))|&(?=[A-Za-z0-9#])|\.(?=\w)"
              r"|:(?=/)|(?<=[mM][aA][iI][lL][tT][oO]):|/(?=/)")
# GitHub links @mentions, #123 references and :emoji: after parsing, in the HTML text,
# where a backslash escape has already gone: an empty HTML comment splits the text there.
# It renders as nothing on GitHub and in every renderer that allows HTML.
GITHUB_BREAK = "<!-- -->"
_MD_GITHUB = r"#(?=\d)|@(?=[A-Za-z0-9])|:(?=[a-z0-9_+\-]+:)"
_MD_SPECIAL = re.compile(f"(?P<github>{_MD_GITHUB})|(?P<escape>{_MD_ESCAPE})")
# what would make a line a list item, a thematic break or a setext heading underline
_MD_LINE_START = re.compile(r"^(?:(-(?=\s|-*$)|\+(?=\s|$)|=(?==*$))|(\d{1,9})([.)])(?=\s|$))")


def md_escape(text: str) -> str:
    """One line of literal text for any Markdown output (templates, tally, status, job
    summaries): white space is collapsed to single spaces, and nothing in the text can
    become a link, an image, an autolink, a tag, a heading, a list, emphasis, code, a table
    cell, an @mention or a #123 reference, in CommonMark or on GitHub. Rendered, it reads
    exactly as the text (with its white space collapsed)."""
    escaped = _MD_SPECIAL.sub(_escape_special, one_line(text))
    return _MD_LINE_START.sub(_escape_start, escaped)


def _escape_special(match: re.Match[str]) -> str:
    char = match.group(0)
    if match.group("github") is None:
        return "\\" + char
    return char + GITHUB_BREAK


def _escape_start(match: re.Match[str]) -> str:
    mark, number, dot = match.groups()
    if number is not None:
        return f"{number}\\{dot}"
    return "\\" + mark


def md_code_cell(text: str) -> str:
    """Literal text as inline code in a Markdown table cell (a path, say): one line, in a
    fence of more backticks than it holds, its `|` escaped for the table (GFM shows `\\|`
    in a cell as `|`, even inside code). Nothing inside code is a link or a mention."""
    text = one_line(text).replace("|", "\\|")
    fence = "`" * (1 + max((len(run) for run in re.findall("`+", text)), default=0))
    pad = " " if text.startswith(("`", " ")) or text.endswith(("`", " ")) else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def post_length(text: str) -> int:
    """Length as X/Twitter counts it (twitter-text v3 weights): most Latin, Greek and
    Cyrillic characters and common punctuation count 1, everything else (CJK, emoji,
    the ellipsis) counts 2. Never less than len(text)."""
    if text.isascii():  # every ASCII character counts 1: a whole entry's text, at once
        return len(text)
    total = 0
    for char in text:
        code = ord(char)
        light = (code <= 4351 or 8192 <= code <= 8205 or 8208 <= code <= 8223
                 or 8242 <= code <= 8247)
        total += 1 if light else 2
    return total


ELLIPSIS = "…"
_TRAILING = ",;:–—-/&(["
# words a shortened title should not end on ("falls with…")
_DANGLING = frozenset({"a", "an", "and", "at", "by", "for", "from", "in", "into", "of", "on",
                       "or", "the", "to", "with", "without"})


def shorten(text: str, width: int) -> str:
    """`text` in at most `width` characters (as post_length counts them), cut at a word
    boundary with an ellipsis; never cuts a word in half."""
    text = one_line(text)
    if post_length(text) <= width:
        return text
    words = text.split(" ")
    kept: list[str] = []
    budget = width - post_length(ELLIPSIS)
    length = 0  # post_length(" ".join(kept)): a character's weight does not depend on others
    for word in words:
        longer = length + post_length(word) + (1 if kept else 0)
        if longer > budget:
            break
        kept.append(word)
        length = longer
    while kept and (kept[-1].rstrip(_TRAILING) == ""
                    or (len(kept) > 1 and kept[-1].rstrip(_TRAILING).lower() in _DANGLING)):
        kept.pop()
    if not kept:
        return ELLIPSIS
    return " ".join(kept).rstrip(_TRAILING + " ") + ELLIPSIS


def spreadsheet_cell(text: str) -> str:
    """Keep a spreadsheet from reading a CSV cell as a formula."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


class PostTooLong(Exception):
    def __init__(self, length: int) -> None:
        super().__init__(length)
        self.length = length


def fit_post(render: Callable[[Mapping[str, str]], str], fields: Mapping[str, str],
             limit: int = 280, floor: int = 30) -> str:
    """Render a post, shortening fields at word boundaries until it fits in `limit`.
    Fields are shortened in their order (the first is the one to give up words
    first), each down to `floor` characters; only if that is not enough are they
    shortened further, in the same order. Raises PostTooLong when even that fails
    (the template's own text is too long)."""
    current = {name: one_line(value) for name, value in fields.items()}

    def overflow() -> int:
        return post_length(one_line(render(current))) - limit

    for minimum in (floor, 0):
        for name in current:
            while (excess := overflow()) > 0:
                target = max(minimum, post_length(current[name]) - excess)
                shorter = shorten(fields[name], target)
                if post_length(shorter) >= post_length(current[name]):
                    break
                current[name] = shorter
    text = one_line(render(current))
    if post_length(text) > limit:
        raise PostTooLong(post_length(text))
    return text


_WORD = r"[0-9A-Za-z\u00C0-\uFFFF]"


def redactor(replacements: Mapping[str, str]) -> Callable[[str], str]:
    """A function that replaces each whole-word, case-insensitive occurrence of a key
    (longest first; any run of white space, line breaks included, matches a space) with
    its value. Keys shorter than 3 characters are ignored."""
    lookup = {one_line(key).lower(): value for key, value in replacements.items()
              if len(one_line(key)) >= 3}
    if not lookup:
        return lambda text: text
    pattern = _any_term(frozenset(lookup))

    def redact(text: str) -> str:
        return pattern.sub(lambda m: lookup.get(one_line(m.group(1)).lower(), "[redacted]"),
                           text)

    return redact


@lru_cache(maxsize=2)
def _any_term(terms: frozenset[str]) -> re.Pattern[str]:
    """A whole-word, case-insensitive match of any of `terms` (lower case, one space
    between words, which matches any run of white space), the longest that matches.

    The terms are written as a trie: a branch for each next character, the longer
    branches tried first. A text is then read once, trying at each place only the
    characters that can come next, rather than once per term: a national programme's
    60,000 names made a judge pack's text take a second. A trie is right only when no
    two characters at a branch can match the same letter (an s and a long ſ can), and
    re can only read one so deep; otherwise, one alternative per term, longest first."""
    root: _Trie = {}
    for term in terms:
        node = root
        for character in " ".join(term.split()):
            node = node.setdefault(character, {})
        node[""] = {}  # a term ends here
    try:
        body = _branches(root)
        if body is not None:
            return re.compile(rf"(?<!{_WORD})({body})(?!{_WORD})", re.IGNORECASE)
    except RecursionError:
        pass
    alternatives = "|".join(r"\s+".join(re.escape(part) for part in term.split())
                            for term in sorted(terms, key=lambda t: (-len(t), t)))
    return re.compile(rf"(?<!{_WORD})({alternatives})(?!{_WORD})", re.IGNORECASE)


_Trie = dict[str, "_Trie"]


def _branches(node: _Trie) -> str | None:
    """The pattern of a trie's node (None when two of its characters can match the same
    letter): each branch, then nothing if a term ends here (`?` is greedy)."""
    atoms = [atom for atom in node if atom]
    unusual = [atom for atom in atoms if not atom.isascii()]
    if any(re.fullmatch(re.escape(one), other, re.IGNORECASE)
           for one in unusual for other in atoms if other != one):
        return None
    branches = []
    for atom in sorted(atoms):
        rest = _branches(node[atom])
        if rest is None:
            return None
        branches.append((r"\s+" if atom == " " else re.escape(atom)) + rest)
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else f"(?:{'|'.join(branches)})"
    return f"(?:{body})?" if "" in node else body


def people(entry: EntryFile) -> list[str]:
    """The lead first, then the team, without repeats."""
    names: list[str] = []
    for name in [entry.lead.name, *entry.team]:
        if name.strip() not in names:
            names.append(name.strip())
    return names


EMAIL_MARK = "[e-mail]"
LINK_MARK = "[link removed]"
HANDLE_MARK = "[handle]"
_EMAIL = r"[\w.!#$%&'*+/=?^`{|}~-]+@[\w-]+(?:\.[\w-]+)+"
_LINK_TEXT = r"((?:[^\[\]\\]|\\.|\[[^\[\]]*\])*)"
_LABEL = r"((?:[^\[\]\\]|\\.)*)"
_DESTINATION = r"(?:<[^<>\n]*>|(?:[^\s()\\]|\\.|\([^\s()]*\))*)"
_TITLE = r"(?:\"[^\"]*\"|'[^']*'|\([^()]*\))"
_INLINE_LINK = re.compile(r"!?\[" + _LINK_TEXT + r"\]\(\s*" + _DESTINATION
                          + r"(?:\s+" + _TITLE + r")?\s*\)")
_DEFINITION = re.compile(r"^ {0,3}\[" + _LABEL + r"\]:[ \t]*\n?[ \t]*" + _DESTINATION
                         + r"(?:[ \t]*\n?[ \t]*" + _TITLE + r")?[ \t]*$", re.MULTILINE)
_REFERENCE_LINK = re.compile(r"!?\[" + _LINK_TEXT + r"\](?:\[" + _LABEL + r"\])?")
_AUTOLINK = re.compile(r"<(?:(" + _EMAIL + r")|[a-zA-Z][a-zA-Z0-9+.\-]{1,31}:[^\s<>]*)>")
EMAIL_ANYWHERE = re.compile(r"(?<![\w.!#$%&'*+/=?^`{|}~:-])(?:mailto:)?" + _EMAIL,
                             re.IGNORECASE)
_URL = re.compile(
    r"(?:(?<![a-z0-9+.\-])[a-z][a-z0-9+.\-]*://"  # scheme://
    r"|(?<![\w.\-])www\."  # www.
    r"|(?<![\w@.\-/])(?:[a-z0-9](?:[a-z0-9\-]*[a-z0-9])?\.)+"  # or a host name whose
    r"(?:uk|com|org|net|gov|info|io|eu|ie|scot|wales|cymru)\b)"  # ending is a common one
    r"[^\s<>]*", re.IGNORECASE)
HANDLE = re.compile(r"(?<![\w@.\-/])@[A-Za-z0-9_](?:[A-Za-z0-9_\-]*[A-Za-z0-9_])?")
_TRAILING_PUNCTUATION = ".,;:!?'\")"


def _label(text: str) -> str:
    return " ".join(text.split()).casefold()


def _url(match: re.Match[str]) -> str:
    """A web address without the punctuation that ends the sentence around it (a
    closing bracket is kept when the address opened it, as Wikipedia's do)."""
    url = match.group(0)
    end = len(url)
    while end and url[end - 1] in _TRAILING_PUNCTUATION and (
            url[end - 1] != ")" or url.count("(", 0, end) < url.count(")", 0, end)):
        end -= 1
    return LINK_MARK + url[end:]


def redact_contacts(text: str) -> str:
    """Every e-mail address, web address and @handle in `text` (plain text or
    Markdown) replaced by a placeholder. A Markdown link keeps its text, followed by
    [link removed]; link reference definitions are dropped."""
    defined = {_label(m.group(1)) for m in _DEFINITION.finditer(text)}
    text = _DEFINITION.sub("", text)
    text = _INLINE_LINK.sub(lambda m: f"{m.group(1)} {LINK_MARK}".lstrip(), text)
    if defined:
        def reference(match: re.Match[str]) -> str:
            label = match.group(2) or match.group(1)
            if _label(label) not in defined:
                return match.group(0)
            return f"{match.group(1)} {LINK_MARK}".lstrip()

        text = _REFERENCE_LINK.sub(reference, text)
    text = _AUTOLINK.sub(lambda m: EMAIL_MARK if m.group(1) else LINK_MARK, text)
    text = EMAIL_ANYWHERE.sub(EMAIL_MARK, text)
    text = _URL.sub(_url, text)
    return HANDLE.sub(HANDLE_MARK, text)


def without_email(name: str) -> str:
    """'Ann Able <ann@example.org>' as 'Ann Able'."""
    return one_line(re.sub(r"[<(\[]?\s*(?:mailto:)?" + _EMAIL + r"\s*[>)\]]?", " ", name))
