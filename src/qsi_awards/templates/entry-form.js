// qsi: the entry form (qsi render entry-form). It counts words, checks what a browser
// can check and saves the entry file exactly as `qsi new entry` writes it, filled in,
// by the same rules as qsi (each function below names the Python it mirrors; the tests
// hold them to it). Everything stays on this computer: nothing is sent anywhere.
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("entry-form-data").textContent);

  // ---- Words, as checks/content.py counts them --------------------------------------

  // White space as Python's str.split() sees it (str.isspace), and a letter or digit as
  // str.isalnum() sees it (Unicode letters and numbers).
  var SPACE = "\\t\\n\\v\\f\\r\\x1c-\\x1f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029" +
    "\\u202f\\u205f\\u3000";
  var RUN = new RegExp("[^" + SPACE + "]+", "g");
  var ALNUM = /[\p{L}\p{N}]/u;
  var EDGES = new RegExp("^[" + SPACE + "]+|[" + SPACE + "]+$", "g");

  // count_words: runs of non-white-space characters that hold a letter or digit
  function countWords(text) {
    var runs = text.match(RUN) || [];
    var count = 0;
    for (var i = 0; i < runs.length; i += 1) {
      if (ALNUM.test(runs[i])) { count += 1; }
    }
    return count;
  }

  // " ".join(text.split())
  function collapse(text) { return (text.match(RUN) || []).join(" "); }

  // ---- Markdown, as render/text.markdown_parser reads it ------------------------------

  var SCHEME = /^([a-zA-Z][a-zA-Z0-9+.\-]*):/;
  var ROOTED = /^(?:\/|\\|%2f|%5c)/i;
  var FIRST_SEGMENT = /^[^/?#]*/;
  var SAFE_SCHEMES = ["http", "https", "mailto"];

  // safe_link: http(s), mailto and relative links that stay relative
  function safeLink(url) {
    url = url.replace(EDGES, "");
    var scheme = SCHEME.exec(url);
    if (scheme) { return SAFE_SCHEMES.indexOf(scheme[1].toLowerCase()) >= 0; }
    if (ROOTED.test(url)) { return false; }
    return FIRST_SEGMENT.exec(url)[0].indexOf(":") < 0;
  }

  // _drop_notes: a paragraph that is only HTML comments is a note to the writer
  var NOTE = new RegExp("^(?:\x3C!--(?:(?!-->)[\\s\\S])*-->[" + SPACE + "]*)+$");

  function dropNotes(state) {
    var tokens = state.tokens;
    var kept = [];
    var i = 0;
    while (i < tokens.length) {
      if (tokens[i].type === "paragraph_open" && i + 2 < tokens.length &&
          NOTE.test(tokens[i + 1].content)) {
        i += 3;
        continue;
      }
      kept.push(tokens[i]);
      i += 1;
    }
    state.tokens = kept;
  }

  var md = window.markdownit("commonmark", { html: false });
  md.validateLink = safeLink;
  md.core.ruler.after("block", "qsi_notes", dropNotes);
  md.disable("inline");

  // _CHANGES_WORDS: links, images and character references change the words a reader sees
  var CHANGES_WORDS =
    /\[|&(?:#\p{Nd}{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});/u;

  // _shown and _text: the text a reader sees of an inline token
  function shown(token, env, always) {
    if (!always && !CHANGES_WORDS.test(token.content)) { return token.content; }
    var children = [];
    md.inline.parse(token.content, md, env, children);
    return inlineText(children);
  }

  function inlineText(tokens) {
    var text = "";
    tokens.forEach(function (token) {
      if (["text", "text_special", "code_inline", "html_inline"].indexOf(token.type) >= 0) {
        text += token.content;
      } else if (token.type === "softbreak" || token.type === "hardbreak") {
        text += " ";
      } else if (token.type === "image") {
        text += inlineText(token.children || []) || String(token.attrGet("src") || "");
      }
    });
    return text;
  }

  function isSection(tokens, index) {
    var opening = tokens[index - 1];
    return tokens[index].type === "inline" && opening && opening.type === "heading_open" &&
      opening.tag === "h2" && opening.level === 0;
  }

  function tokenWords(token, env) {
    if (token.type === "inline") { return countWords(shown(token, env, false)); }
    if (token.type === "fence" || token.type === "code_block") {
      return countWords(token.content);
    }
    return 0;
  }

  // _parsed_outline: the body's level-2 sections with their words, and the words before
  // the first; lines are 1-based lines of the body
  function outline(body) {
    var env = {};
    var tokens = md.parse(body, env);
    var sections = [];
    var before = 0;
    var current = null;
    for (var i = 0; i < tokens.length; i += 1) {
      if (isSection(tokens, i)) {
        var opening = tokens[i - 1];
        current = { title: collapse(shown(tokens[i], env, true)), line: opening.map[0] + 1,
                    end: opening.map[1], words: 0,
                    underlined: opening.markup === "-" || opening.markup === "=" };
        sections.push(current);
        continue;
      }
      var count = tokenWords(tokens[i], env);
      if (current) { current.words += count; } else { before += count; }
    }
    return { sections: sections, before: before };
  }

  // One section's text on its own: its words, and what in it would break the entry's
  // sections (a level-2 heading, or a code block that is never closed and so would swallow
  // the sections after it).
  function analyse(text) {
    var env = {};
    var tokens = md.parse(text, env);
    var lines = text.split("\n");
    var words = 0;
    var problems = [];
    for (var i = 0; i < tokens.length; i += 1) {
      var token = tokens[i];
      if (isSection(tokens, i)) {
        var opening = tokens[i - 1];
        var title = collapse(shown(token, env, true));
        if (opening.markup === "-") {
          problems.push("The line of dashes on line " + opening.map[1] + " makes the line " +
            "above it a section heading (‘" + title + "’): leave a blank line above the " +
            "dashes, or remove them.");
        } else {
          problems.push("Line " + (opening.map[0] + 1) + " (‘## " + title + "’) would " +
            "start a new section: write ‘### " + title + "’ for a heading inside this one.");
        }
      }
      if (token.type === "fence" && token.level === 0 && !closed(token, lines)) {
        problems.push("The code block that starts on line " + (token.map[0] + 1) + " with " +
          token.markup + " is never closed: add a line " + token.markup + " after it.");
      }
      words += tokenWords(token, env);
    }
    return { words: words, problems: problems };
  }

  function closed(fence, lines) {
    var last = fence.map[1] - 1;
    if (last <= fence.map[0]) { return false; }
    var match = /^ {0,3}(`{3,}|~{3,})[ \t]*$/.exec(lines[last] || "");
    return Boolean(match) && match[1][0] === fence.markup[0] &&
      match[1].length >= fence.markup.length;
  }

  // names.name_key: section titles compare as a person reads them
  function nameKey(text) {
    var folded = text.normalize("NFKC").replace(/\p{Cf}/gu, "");
    return collapse(folded.toUpperCase().toLowerCase().normalize("NFKC"));
  }

  // ---- YAML, as writes/yaml_scalars.py writes it --------------------------------------

  var PLAIN = /^[a-z][a-z0-9-]*$/;
  var WORDS = ["y", "n", "yes", "no", "on", "off", "true", "false", "null"];
  var NAMED = { "\\": "\\\\", "\"": "\\\"", "\0": "\\0", "\x07": "\\a", "\b": "\\b",
                "\t": "\\t", "\n": "\\n", "\v": "\\v", "\f": "\\f", "\r": "\\r",
                "\x1b": "\\e" };
  // controls.CONTROL
  var CONTROL = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/;

  function kept(code, char) {
    return ((code >= 0x20 && code <= 0x7e) || (code >= 0xa0 && code <= 0xd7ff) ||
            (code >= 0xe000 && code <= 0xfffd) || (code >= 0x10000 && code <= 0x10ffff)) &&
      code !== 0x2028 && code !== 0x2029 && code !== 0xfeff && !CONTROL.test(char);
  }

  function hex(code, width) {
    var digits = code.toString(16);
    while (digits.length < width) { digits = "0" + digits; }
    return digits;
  }

  function escapeChar(char) {
    if (Object.prototype.hasOwnProperty.call(NAMED, char)) { return NAMED[char]; }
    var code = char.codePointAt(0);
    if (kept(code, char)) { return char; }
    if (code <= 0xff) { return "\\x" + hex(code, 2); }
    return code <= 0xffff ? "\\u" + hex(code, 4) : "\\U" + hex(code, 8);
  }

  function quoted(value) { return "\"" + Array.from(value).map(escapeChar).join("") + "\""; }

  function scalar(value) {
    return PLAIN.test(value) && WORDS.indexOf(value) < 0 ? value : quoted(value);
  }

  function flowList(values) { return "[" + values.map(scalar).join(", ") + "]"; }

  // ---- The entry file, as writes/new_entry.py writes it -------------------------------

  function categoryById(id) {
    return data.categories.filter(function (c) { return c.id === id; })[0] || null;
  }

  // entry_rules_for: what an entry in the category asks for (its summary's word limit,
  // with the note beside it, and its sections), by the category's own entry rules or
  // else the programme's; the programme's while no category is chosen
  function asksOf(id) {
    var category = categoryById(id);
    return category ? category.asks : data.asks;
  }

  // slugify: a valid entry ID from the title
  function slugify(title) {
    var text = title.normalize("NFKD").replace(/[^\x00-\x7f]/g, "").toLowerCase();
    text = text.replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "");
    if (text.length > 56) {
      var cut = text.slice(0, 56);
      text = (cut.indexOf("-") >= 0 ? cut.slice(0, cut.lastIndexOf("-")) : cut)
        .replace(/^-+|-+$/g, "");
    }
    if (data.windows_names.indexOf(text) >= 0) { return text + "-entry"; }
    return text || "entry";
  }

  // A section's text as it goes into the file: line breaks as \n, without blank lines
  // before it or white space after it.
  function tidy(text) {
    return text.replace(/\r\n?/g, "\n").replace(/^(?:[ \t]*\n)+/, "").replace(/[ \t\n]+$/, "");
  }

  // entry_text: the same lines, filled in with what the form knows
  function entryFile(v) {
    var h = data.hints;
    var category = categoryById(v.category);
    var lead = v.lead;
    var lines = [
      "---",
      "title: " + quoted(v.title),
      "category: " + scalar(v.category) + "  # " + category.title,
      v.organisation ? "organisation: " + quoted(v.organisation)
        : "organisation:  # " + h.organisation,
      v.care_setting ? "care_setting: " + v.care_setting + "  # " + h.care_setting
        : "care_setting:  # " + h.care_setting,
      "lead:",
      lead.name ? "  name: " + quoted(lead.name) : "  name:  # " + h.name,
      lead.role ? "  role: " + quoted(lead.role) : "  role:  # " + h.role,
      lead.email ? "  email: " + quoted(lead.email) : "  email:  # " + h.email,
      v.team.length ? "team: " + flowList(v.team) : "team: []  # " + h.team,
      v.submitted_by ? "submitted_by: " + scalar(v.submitted_by) + "  # " + h.submitted_by
        : "submitted_by:  # " + h.submitted_by_empty,
      "submitted: " + v.submitted + (h.submitted ? "  # " + h.submitted : ""),
      "patient_involvement: " + (v.patient_involvement ? "true" : "false") + "  # " +
        h.patient_involvement +
        (category.requires_patient_involvement ? h.patient_involvement_required : ""),
      "consent_to_publish: " + (v.consent_to_publish ? "true" : "false") + "  # " +
        h.consent_to_publish,
      v.summary ? "summary: " + quoted(v.summary)
        : "summary:  # " + asksOf(v.category).summary_hint
    ];
    if (v.measures) { lines.push(v.measures); }
    lines.push("---");
    return lines.join("\n") + "\n" + bodyText(v.sections, v.category);
  }

  // the body: each of the category's sections under its heading (an empty one with its
  // word limit, as a note)
  function bodyText(texts, category) {
    var lines = [];
    asksOf(category).sections.forEach(function (section, i) {
      var text = tidy(texts[i] || "");
      lines.push("", "## " + section.title, "", text || "\x3C!-- " + section.note + " -->", "");
    });
    return lines.join("\n") + "\n";
  }

  // ---- Reading an entry file back -----------------------------------------------------

  function FileProblem(line, message) {
    this.line = line;
    this.message = message;
  }

  var FIELDS = ["title", "category", "organisation", "care_setting", "lead", "team",
                "submitted_by", "submitted", "patient_involvement", "consent_to_publish",
                "summary"];
  var LEAD_FIELDS = ["name", "role", "email"];
  var ESCAPES = { "0": "\0", "a": "\x07", "b": "\b", "t": "\t", "\t": "\t", "n": "\n",
                  "v": "\v", "f": "\f", "r": "\r", "e": "\x1b", " ": " ", "\"": "\"",
                  "/": "/", "\\": "\\", "N": "\x85", "_": "\xa0", "L": "\u2028",
                  "P": "\u2029" };
  var HEX_ESCAPES = { "x": 2, "u": 4, "U": 8 };

  // The front matter qsi writes, and what people write by hand in it: `name: value`
  // lines (lead indented under its own line), values plain, in double or single quotes,
  // in [a, b] or {a: b} on one line, a `- item` list, or a `|` or `>` block. Anything
  // else is refused with the line and what to do, never guessed at.
  function readFrontMatter(text, firstLine) {
    var lines = text.replace(/\n$/, "").split("\n");
    var at = 0;

    var FIELD = /^([A-Za-z_][A-Za-z0-9_-]*)[ \t]*:(?:[ \t]+|$)(.*)$/;

    function fail(index, message) { throw new FileProblem(firstLine + index, message); }
    function indent(line) { return line.length - line.replace(/^ +/, "").length; }
    function skippable(line) { return /^[ \t]*(?:#.*)?$/.test(line); }
    function nextContent(from) {
      while (from < lines.length && skippable(lines[from])) { from += 1; }
      return from;
    }

    function mapping(level) {
      var out = {};
      for (at = nextContent(at); at < lines.length; at = nextContent(at)) {
        var line = lines[at];
        var depth = indent(line);
        if (depth < level) { break; }
        if (depth > level) {
          fail(at, "This line is indented more than the field above it; line the fields " +
            "up under each other.");
        }
        var field = FIELD.exec(line.slice(depth));
        if (!field) {
          fail(at, "The form cannot read this line: it should be a field, a colon and its " +
            "value, such as ‘title: Reducing falls’.");
        }
        if (Object.prototype.hasOwnProperty.call(out, field[1])) {
          fail(at, "The field ‘" + field[1] + "’ is here twice; keep one of them.");
        }
        var own = at;
        at += 1;
        out[field[1]] = value(field[2], level, own);
      }
      return out;
    }

    function value(rest, level, own) {
      var first = rest.charAt(0);
      if (rest === "" || first === "#") {
        var next = nextContent(at);
        if (next < lines.length) {
          var depth = indent(lines[next]);
          var item = /^-(?:[ \t]|$)/.test(lines[next].slice(depth));
          if (item && depth >= level) { at = next; return sequence(depth); }
          if (depth > level && FIELD.test(lines[next].slice(depth))) {
            at = next;
            return { map: mapping(depth) };
          }
          if (depth > level) {  // the value itself, on the lines below
            at = next + 1;
            return value(lines[next].slice(depth), level, next);
          }
        }
        return null;
      }
      if (first === "\"" || first === "'") { return quotedValue(rest, own); }
      if (first === "[") { return { list: flowItems(rest, "[", "]", own) }; }
      if (first === "{") { return { map: flowMapping(rest, own) }; }
      if (first === "|" || first === ">") { return block(rest, level, own); }
      if ("&*!%@`".indexOf(first) >= 0) {
        fail(own, "The form cannot read a value that starts with ‘" + first + "’; put the " +
          "value in double quotes.");
      }
      return plain(rest, level, own);
    }

    function endOfValue(rest, own) {
      if (!/^[ \t]*(?:#.*)?$/.test(rest)) {
        fail(own, "There is more after the quoted value on this line; remove it, or put " +
          "the whole value in the quotes.");
      }
    }

    // a quoted value on one line: [its text, what follows it]
    function readQuoted(rest, own) {
      var quote = rest.charAt(0);
      var out = "";
      for (var i = 1; i < rest.length; i += 1) {
        var char = rest.charAt(i);
        if (char === quote) {
          if (quote === "'" && rest.charAt(i + 1) === "'") { out += "'"; i += 1; continue; }
          return [out, rest.slice(i + 1)];
        }
        if (quote === "\"" && char === "\\") {
          var code = rest.charAt(i + 1);
          if (Object.prototype.hasOwnProperty.call(ESCAPES, code)) {
            out += ESCAPES[code];
            i += 1;
            continue;
          }
          var width = HEX_ESCAPES[code];
          var digits = width ? rest.slice(i + 2, i + 2 + width) : "";
          if (!width || !new RegExp("^[0-9a-fA-F]{" + width + "}$").test(digits) ||
              parseInt(digits, 16) > 0x10ffff) {
            fail(own, "The escape ‘\\" + code + "’ in this quoted value is not one YAML " +
              "knows; write \\\\ for a backslash.");
          }
          out += String.fromCodePoint(parseInt(digits, 16));
          i += 1 + width;
          continue;
        }
        out += char;
      }
      return fail(own, "This quoted value does not end on its line; the form reads quoted " +
        "values written on one line, so put the closing " + quote + " on this line.");
    }

    function quotedValue(rest, own) {
      var read = readQuoted(rest, own);
      endOfValue(read[1], own);
      return { text: read[0], quoted: true };
    }

    function plainText(text, own) {
      if (/:(?:[ \t]|$)/.test(text) || /^[-?:,[\]{}#&*!|>'"%@`]/.test(text)) {
        fail(own, "The form cannot read ‘" + text + "’ without quotes; put it in double " +
          "quotes.");
      }
      return text;
    }

    function plain(rest, level, own) {
      var parts = [plainText(rest.replace(/[ \t]+#.*$/, "").replace(/[ \t]+$/, ""), own)];
      var breaks = 0;
      // a plain value may go on over lines indented more than its field
      while (at < lines.length) {
        var line = lines[at];
        if (/^[ \t]*$/.test(line)) { breaks += 1; at += 1; continue; }
        if (indent(line) <= level || /^[ \t]*#/.test(line)) { break; }
        var more = plainText(line.trim().replace(/[ \t]+#.*$/, ""), at);
        parts.push(breaks ? "\n".repeat(breaks) + more : " " + more);
        breaks = 0;
        at += 1;
      }
      return { text: parts.join(""), quoted: false };
    }

    function block(rest, level, own) {
      var header = /^([|>])([+-]?)[ \t]*(?:#.*)?$/.exec(rest);
      if (!header) {
        fail(own, "The form cannot read this block’s first line; write just | or > after " +
          "the field and the text on the lines below, indented.");
      }
      var content = [];
      var depth = null;
      while (at < lines.length) {
        var line = lines[at];
        if (/^ *$/.test(line)) { content.push(""); at += 1; continue; }
        var here = indent(line);
        if (depth === null) { depth = here; }
        if (here <= level || here < depth) { break; }
        content.push(line.slice(depth));
        at += 1;
      }
      var trailing = 0;
      while (content.length && content[content.length - 1] === "") {
        content.pop();
        trailing += 1;
      }
      var text = blockText(content, header[1] === ">");
      if (content.length && header[2] !== "-") { text += "\n"; }
      if (header[2] === "+") { text += "\n".repeat(trailing); }
      return { text: text, quoted: true };
    }

    // PyYAML's folding: lines join with a space, except around blank or more indented lines
    function blockText(content, folded) {
      var out = "";
      var breaks = 0;
      var previous = null;
      content.forEach(function (line) {
        if (line === "") { breaks += 1; return; }
        if (previous === null) {
          out += "\n".repeat(breaks);
        } else if (folded && !/^[ \t]/.test(previous) && !/^[ \t]/.test(line)) {
          out += breaks ? "\n".repeat(breaks) : " ";
        } else {
          out += "\n".repeat(breaks + 1);
        }
        out += line;
        breaks = 0;
        previous = line;
      });
      return out;
    }

    function sequence(level) {
      var items = [];
      for (at = nextContent(at); at < lines.length; at = nextContent(at)) {
        var line = lines[at];
        var item = /^-(?:[ \t]+(.*)|$)/.exec(line.slice(level));
        if (indent(line) !== level || !item) { break; }
        var own = at;
        at += 1;
        var rest = item[1] || "";
        if (rest.charAt(0) === "\"" || rest.charAt(0) === "'") {
          items.push(quotedValue(rest, own));
        } else {
          items.push({ text: plainText(rest.replace(/[ \t]+#.*$/, "").trim(), own),
                       quoted: false });
        }
      }
      return { list: items };
    }

    // [a, "b"] or {a: b} on one line: the items, each plain or quoted
    function flowItems(rest, open, close, own) {
      var items = [];
      var i = 1;
      var expectItem = true;
      while (i < rest.length) {
        var char = rest.charAt(i);
        if (char === " " || char === "\t") { i += 1; continue; }
        if (char === close) {
          endOfValue(rest.slice(i + 1), own);
          return items;
        }
        if (char === ",") {
          if (expectItem) { break; }
          expectItem = true;
          i += 1;
          continue;
        }
        if (!expectItem) { break; }
        var item;
        if (char === "\"" || char === "'") {
          var read = readQuoted(rest.slice(i), own);
          item = { text: read[0], quoted: true };
          i = rest.length - read[1].length;
        } else {
          var end = i;
          while (end < rest.length && ",[]{}".indexOf(rest.charAt(end)) < 0) { end += 1; }
          var word = rest.slice(i, end).trim();
          item = { text: open === "{" ? word : plainText(word, own), quoted: false };
          i = end;
        }
        items.push(item);
        expectItem = false;
      }
      return fail(own, "The form cannot read this " + (open === "[" ? "list" : "set of fields") +
        "; write it on one line, such as " +
        (open === "[" ? "[Tom Clarke, Aisha Okafor]." : "{name: Priya Shah, email: …}."));
    }

    function flowMapping(rest, own) {
      var out = {};
      flowItems(rest, "{", "}", own).forEach(function (item) {
        var pair = item.quoted ? null : /^([A-Za-z_][A-Za-z0-9_-]*)[ \t]*:[ \t]+(.*)$/.exec(item.text);
        if (!pair) {
          fail(own, "The form cannot read ‘" + item.text + "’ here; write name: value.");
        }
        var inner = pair[2];
        out[pair[1]] = inner.charAt(0) === "\"" || inner.charAt(0) === "'"
          ? quotedValue(inner, own) : { text: plainText(inner, own), quoted: false };
      });
      return out;
    }

    var top = mapping(0);
    if (at < lines.length) {
      fail(at, "The form cannot read this line: fields start at the beginning of a line.");
    }
    return top;
  }

  // The values the form holds, from a parsed front matter; plain true/false/null are
  // typed as qsi types them.
  var TRUE = ["true", "True", "TRUE"];
  var FALSE = ["false", "False", "FALSE"];
  var NULL = ["", "~", "null", "Null", "NULL"];

  function text(node, name, line) {
    if (node === null || node === undefined) { return ""; }
    if (node.list || node.map || typeof node.text !== "string") {
      throw new FileProblem(line, "‘" + name + "’ should be text.");
    }
    return !node.quoted && NULL.indexOf(node.text) >= 0 ? "" : node.text;
  }

  function flag(node, name, line) {
    var written = text(node, name, line);
    if (node && !node.quoted && TRUE.indexOf(written) >= 0) { return true; }
    if (written === "" || (node && !node.quoted && FALSE.indexOf(written) >= 0)) {
      return false;
    }
    throw new FileProblem(line, "‘" + name + "’ should be true or false, but it is ‘" +
      written + "’.");
  }

  function fieldLine(frontText, name, firstLine) {
    var found = new RegExp("^" + name + "[ \\t]*:", "m").exec(frontText);
    return found ? firstLine + frontText.slice(0, found.index).split("\n").length - 1
      : firstLine;
  }

  var CLOSING = /^(?:---|\.\.\.)[ \t]*$/m;

  // The `measures:` block of the front matter (an entry's data for its charts, which
  // the form does not edit), word for word, and the front matter with those lines left
  // blank (so the other fields keep their line numbers). The block is the `measures:`
  // line and every line after it that is indented, a list item, blank or a comment.
  function keptMeasures(front) {
    var lines = front.split("\n");
    var start = lines.findIndex(function (line) { return /^measures[ \t]*:/.test(line); });
    if (start < 0) { return { front: front, measures: "" }; }
    var end = start + 1;
    while (end < lines.length && /^(?:[ \t]|-|#|$)/.test(lines[end])) { end += 1; }
    while (end > start + 1 && /^[ \t]*$/.test(lines[end - 1])) { end -= 1; }
    var block = lines.slice(start, end).join("\n");
    for (var i = start; i < end; i += 1) { lines[i] = ""; }
    return { front: lines.join("\n"), measures: block };
  }

  // An entry file -> { values, notes } (notes: what the entrant should know), or a
  // FileProblem that says what is wrong and where.
  function readEntryFile(source) {
    source = source.replace(/^\uFEFF/, "").replace(/\r\n?/g, "\n");
    var newline = source.indexOf("\n");
    if (newline < 0 || source.slice(0, newline).replace(/[ \t]+$/, "") !== "---") {
      throw new FileProblem(1, "This is not an entry file: an entry starts with a line " +
        "‘---’, then its fields.");
    }
    var rest = source.slice(newline + 1);
    var closing = CLOSING.exec(rest);
    if (!closing) {
      throw new FileProblem(1, "The fields at the top are never closed by a line ‘---’.");
    }
    var kept = keptMeasures(rest.slice(0, closing.index));
    var front = kept.front;
    var afterClosing = rest.indexOf("\n", closing.index);
    var body = afterClosing < 0 ? "" : rest.slice(afterClosing + 1);
    var fields = readFrontMatter(front, 2);
    var notes = [];
    if (kept.measures) {
      notes.push("The entry’s measures (its data for charts) are kept as they are; edit " +
        "them in the file itself.");
    }
    Object.keys(fields).forEach(function (name) {
      if (FIELDS.indexOf(name) < 0) {
        throw new FileProblem(fieldLine(front, name, 2), "The field ‘" + name + "’ is not " +
          "one the form knows, so it could not keep it: remove it from the file first.");
      }
    });
    function at(name) { return fieldLine(front, name, 2); }
    var leadFields = fields.lead ? fields.lead.map : {};
    if (!leadFields) {
      throw new FileProblem(at("lead"), "‘lead’ should hold the lead’s name, role and email.");
    }
    Object.keys(leadFields).forEach(function (name) {
      if (LEAD_FIELDS.indexOf(name) < 0) {
        throw new FileProblem(at("lead"), "‘lead." + name + "’ is not a field the form " +
          "knows (the lead has name, role and email): remove it from the file first.");
      }
    });
    var team = fields.team;
    var members = [];
    if (team && team.list) {
      members = team.list.map(function (item) { return item.text; });
    } else if (team) {
      var one = text(team, "team", at("team"));
      members = one ? [one] : [];
    }
    var category = text(fields.category, "category", at("category"));
    var values = {
      title: text(fields.title, "title", at("title")),
      category: category,
      organisation: text(fields.organisation, "organisation", at("organisation")),
      care_setting: text(fields.care_setting, "care_setting", at("care_setting")),
      lead: {
        name: text(leadFields.name, "lead.name", at("lead")),
        role: text(leadFields.role, "lead.role", at("lead")),
        email: text(leadFields.email, "lead.email", at("lead"))
      },
      team: members,
      submitted_by: text(fields.submitted_by, "submitted_by", at("submitted_by")),
      submitted: text(fields.submitted, "submitted", at("submitted")),
      patient_involvement: flag(fields.patient_involvement, "patient_involvement",
                                at("patient_involvement")),
      consent_to_publish: flag(fields.consent_to_publish, "consent_to_publish",
                               at("consent_to_publish")),
      summary: text(fields.summary, "summary", at("summary")),
      sections: readSections(body, notes, asksOf(category).sections)
    };
    if (kept.measures) { values.measures = kept.measures; }
    if (values.category && !categoryById(values.category)) {
      notes.push("The category ‘" + values.category + "’ is not one of this programme’s: " +
        "choose one.");
    }
    if (values.care_setting && data.settings.indexOf(values.care_setting) < 0) {
      notes.push("The care setting ‘" + values.care_setting + "’ is not one the programme " +
        "knows: choose one.");
    }
    return { values: values, notes: notes };
  }

  // The text of each of the entry's sections (its category's). A heading the category
  // does not ask for stays in the text of the section above it (where the form points it
  // out), and text before the first section goes at the start of the first, so nothing
  // is lost.
  function readSections(body, notes, sections) {
    var lines = body.split("\n");
    var wanted = sections.map(function (s) { return nameKey(s.title); });
    var found = outline(body).sections.filter(function (section, i, all) {
      var index = wanted.indexOf(nameKey(section.title));
      return index >= 0 && all.findIndex(function (other) {
        return nameKey(other.title) === wanted[index];
      }) === i;
    });
    var texts = sections.map(function () { return ""; });
    var starts = found.map(function (section) { return section.line - 1; });
    var preamble = tidy(lines.slice(0, starts.length ? starts[0] : lines.length).join("\n"));
    found.forEach(function (section, i) {
      var end = i + 1 < found.length ? starts[i + 1] : lines.length;
      texts[wanted.indexOf(nameKey(section.title))] =
        withoutNote(tidy(lines.slice(section.end, end).join("\n")));
    });
    preamble = withoutNote(preamble);
    if (preamble) {
      texts[0] = tidy(preamble + "\n\n" + texts[0]);
      notes.push("The text before the first section is now at the start of ‘" +
        sections[0].title + "’.");
    }
    sections.forEach(function (section, i) {
      if (!found.some(function (f) { return nameKey(f.title) === wanted[i]; })) {
        notes.push("The file has no section ‘" + section.title + "’.");
      }
    });
    return texts;
  }

  // a section that is only a note to the writer (qsi new entry's word limit) is empty
  function withoutNote(text) { return NOTE.test(text) ? "" : text; }

  // ---- The form -----------------------------------------------------------------------

  var form = document.getElementById("entry-form");
  var area = document.getElementById("form-area");
  var summaryBox = document.getElementById("error-summary");
  var errorList = document.getElementById("error-list");
  var saveStatus = document.getElementById("save-status");
  var openStatus = document.getElementById("open-status");
  var openFile = document.getElementById("open-file");
  var byId = function (id) { return document.getElementById(id); };
  var sectionBoxes = data.sections.map(function (s, i) { return byId("section-" + (i + 1)); });
  var shownAsks = data.asks;  // what the section boxes ask for now
  var setAside = {};  // text written in sections the chosen category does not ask for
  var touched = {};
  var showAll = false;
  var savedName = null;
  var EMAIL = new RegExp(data.email_pattern);
  var HANDLE = /^@?[A-Za-z0-9](?:-?[A-Za-z0-9]){0,38}$/;
  var DATE = /^\d{4}-\d{2}-\d{2}$/;
  var MAX_BYTES = 1024 * 1024;

  function radios(name) {
    return Array.prototype.slice.call(form.querySelectorAll("input[name='" + name + "']"));
  }
  function chosen(name) {
    var on = radios(name).filter(function (r) { return r.checked; })[0];
    return on ? on.value : "";
  }
  function choose(name, value) {
    radios(name).forEach(function (r) { r.checked = r.value === value; });
  }
  function trimmed(id) { return byId(id).value.replace(EDGES, ""); }

  var keptBlock = "";  // an opened entry's measures, saved again as they were

  function values() {
    return {
      title: trimmed("title"),
      category: chosen("category"),
      organisation: trimmed("organisation"),
      care_setting: chosen("care_setting"),
      lead: { name: trimmed("lead-name"), role: trimmed("lead-role"),
              email: trimmed("lead-email") },
      team: byId("team").value.split("\n").map(function (n) { return n.replace(EDGES, ""); })
        .filter(Boolean),
      submitted_by: trimmed("submitted-by").replace(/^@/, ""),
      submitted: byId("submitted").value,
      patient_involvement: byId("patient-involvement").checked,
      consent_to_publish: byId("consent-to-publish").checked,
      summary: trimmed("summary"),
      sections: sectionBoxes.map(function (box) { return box.value; }),
      measures: keptBlock
    };
  }

  function fill(v) {
    byId("title").value = v.title;
    choose("category", v.category);
    byId("organisation").value = v.organisation;
    choose("care_setting", v.care_setting);
    byId("lead-name").value = v.lead.name;
    byId("lead-role").value = v.lead.role;
    byId("lead-email").value = v.lead.email;
    byId("team").value = v.team.join("\n");
    byId("submitted-by").value = v.submitted_by;
    byId("submitted").value = DATE.test(v.submitted) ? v.submitted : "";
    byId("patient-involvement").checked = v.patient_involvement;
    byId("consent-to-publish").checked = v.consent_to_publish;
    byId("summary").value = v.summary;
    showSections(asksOf(v.category), v.sections);
    keptBlock = v.measures || "";
    applyCategory();
  }

  // One section's field, as entry-form.html writes it
  function sectionField(section, number) {
    var id = "section-" + number;
    var field = document.createElement("div");
    field.className = "field section";
    field.setAttribute("data-section", String(number - 1));
    function part(tag, className, partId, text) {
      var element = document.createElement(tag);
      if (className) { element.className = className; }
      if (partId) { element.id = partId; }
      element.textContent = text;
      field.appendChild(element);
      return element;
    }
    var label = part("label", "label label--section", null, section.title);
    label.htmlFor = id;
    part("p", "hint", id + "-hint", (section.guidance ? section.guidance + " " : "") +
      (section.max_words ? "At most " + section.max_words + " words." : ""));
    part("p", "field-error", id + "-error", "").hidden = true;
    var box = part("textarea", null, id, "");
    box.name = id;
    box.rows = 10;
    box.required = true;
    box.setAttribute("aria-describedby", id + "-hint");
    part("p", "count", id + "-count", words(0, section.max_words))
      .setAttribute("aria-hidden", "true");
    part("p", "visually-hidden", id + "-count-status", "").setAttribute("role", "status");
    return { field: field, box: box };
  }

  // Ask for the sections `asks` holds: with `texts` (an opened file's), those; else the
  // text written for a section of the same title, under any category chosen before, so
  // changing the category loses nothing.
  function showSections(asks, texts) {
    if (!texts && JSON.stringify(asks) === JSON.stringify(shownAsks)) { return; }
    if (texts) {
      setAside = {};
    } else {
      shownAsks.sections.forEach(function (section, i) {
        var text = sectionBoxes[i].value;
        if (text.replace(EDGES, "")) {
          setAside[nameKey(section.title)] = { title: section.title, text: text };
        }
      });
    }
    var holder = byId("sections");
    holder.textContent = "";
    sectionBoxes = asks.sections.map(function (section, i) {
      var made = sectionField(section, i + 1);
      var key = nameKey(section.title);
      holder.appendChild(made.field);
      made.box.value = texts ? texts[i] || "" : (setAside[key] || { text: "" }).text;
      delete setAside[key];
      delete touched["section-" + (i + 1)];
      return made.box;
    });
    shownAsks = asks;
    byId("summary-limit").textContent = asks.summary_max_words
      ? ", at most " + asks.summary_max_words + " words" : "";
    var aside = Object.keys(setAside).map(function (key) { return setAside[key].title; });
    var one = aside.length === 1;
    byId("sections-note").textContent = aside.length ? "What you wrote under ‘" +
      aside.join("’, ‘") + "’ is kept while this page is open, in case you choose a " +
      "category that asks for " + (one ? "it" : "them") + "; the category chosen now " +
      "does not, so " + (one ? "it is" : "they are") + " not saved in the entry file." : "";
  }

  // A category with care settings of its own allows only those; with one, it sets it.
  function applyCategory() {
    var category = categoryById(chosen("category"));
    showSections(category ? category.asks : data.asks);
    var allowed = category ? category.settings : [];
    radios("care_setting").forEach(function (r) {
      r.disabled = allowed.length > 0 && allowed.indexOf(r.value) < 0;
      if (allowed.length === 1) { r.checked = r.value === allowed[0]; }
      else if (r.disabled) { r.checked = false; }
    });
    byId("care-setting-hint").textContent = allowed.length === 1
      ? "‘" + category.title + "’ is for " + category.settings_words +
        " only, so that is the care setting."
      : allowed.length ? "‘" + category.title + "’ is for " + category.settings_words +
        " only." : "Where the work took place.";
  }

  // ---- Checks, as qsi validate makes them -----------------------------------------------

  function words(count, limit) {
    return limit ? count + " of " + limit + " words" +
      (count > limit ? ": " + (count - limit) + " too many" : "") : count + " words";
  }

  // Each section's words and problems: from the whole body when its sections come out as
  // the programme's (exactly as qsi validate counts them), else from each section alone.
  function sectionStates(v) {
    var alone = v.sections.map(function (text) { return analyse(tidy(text)); });
    var whole = outline(bodyText(v.sections, v.category));
    var titles = asksOf(v.category).sections.map(function (s) { return nameKey(s.title); });
    var same = whole.before === 0 && whole.sections.length === titles.length &&
      whole.sections.every(function (s, i) { return nameKey(s.title) === titles[i]; });
    return alone.map(function (state, i) {
      return { words: same ? whole.sections[i].words : state.words,
               problems: state.problems };
    });
  }

  function check(v, states) {
    var found = [];
    function add(id, target, message) { found.push({ id: id, target: target, message: message }); }
    var category = categoryById(v.category);
    if (!category) { add("category", "category-" + data.categories[0].id, "Choose a category."); }
    if (!v.title) { add("title", "title", "Enter the title of the project."); }
    if (!v.organisation) { add("organisation", "organisation", "Enter your organisation’s name."); }
    if (!v.care_setting) {
      add("care-setting", "care-setting-" + data.settings[0], "Choose the care setting.");
    } else if (category && category.settings.length &&
               category.settings.indexOf(v.care_setting) < 0) {
      add("care-setting", "care-setting-" + v.care_setting, "‘" + category.title + "’ is for " +
        category.settings_words + " only: choose " +
        (category.settings.length === 1 ? "that care setting" : "one of those") +
        ", or another category.");
    }
    if (category && category.requires_patient_involvement && !v.patient_involvement) {
      add("patient-involvement", "patient-involvement", "‘" + category.title + "’ is for " +
        "work that involved patients or the public: tick this if yours did, or choose " +
        "another category.");
    }
    if (!v.lead.name) { add("lead-name", "lead-name", "Enter the project lead’s name."); }
    if (!v.lead.email) {
      add("lead-email", "lead-email", "Enter the project lead’s e-mail address.");
    } else if (!EMAIL.test(v.lead.email) || v.lead.email.length > data.email_max) {
      add("lead-email", "lead-email", "Enter an e-mail address such as " +
        "name@example.nhs.uk (this one is not: ‘" + v.lead.email + "’).");
    }
    if (v.submitted_by && !HANDLE.test(v.submitted_by)) {
      add("submitted-by", "submitted-by", "A GitHub username has only letters, digits and " +
        "single dashes, such as priya-shah; leave it empty if you have none.");
    }
    if (!DATE.test(v.submitted)) { add("submitted", "submitted", "Enter the date of the entry."); }
    var asks = asksOf(v.category);
    var summaryWords = countWords(v.summary);
    var limit = asks.summary_max_words;
    if (!v.summary) {
      add("summary", "summary", "Write the summary.");
    } else if (limit && summaryWords > limit) {
      add("summary", "summary", "The summary has " + summaryWords + " words; the limit is " +
        limit + ", so cut " + (summaryWords - limit) + ".");
    }
    states.forEach(function (state, i) {
      var section = asks.sections[i];
      var id = "section-" + (i + 1);
      if (!tidy(v.sections[i])) {
        add(id, id, "Write the section ‘" + section.title + "’.");
      } else if (section.max_words && state.words > section.max_words) {
        add(id, id, "The section ‘" + section.title + "’ has " + state.words + " words; the " +
          "limit is " + section.max_words + ", so cut " + (state.words - section.max_words) + ".");
      }
      state.problems.forEach(function (problem) {
        add(id, id, "In ‘" + section.title + "’: " + problem);
      });
    });
    return found;
  }

  // The ids an element is described by before any error is added
  function describedBy(element) {
    if (element.getAttribute("data-described-by") === null) {
      element.setAttribute("data-described-by", element.getAttribute("aria-describedby") || "");
    }
    return element.getAttribute("data-described-by");
  }

  function showErrors(found) {
    var messages = {};
    found.forEach(function (f) { (messages[f.id] = messages[f.id] || []).push(f.message); });
    form.querySelectorAll(".field-error").forEach(function (box) {
      var id = box.id.replace(/-error$/, "");
      var shown = (showAll || touched[id]) && messages[id];
      var control = byId(id);
      box.textContent = shown ? messages[id].join(" ") : "";
      box.hidden = !shown;
      var base = describedBy(control);
      var ids = shown ? (base ? base + " " : "") + box.id : base;
      if (ids) { control.setAttribute("aria-describedby", ids); }
      else { control.removeAttribute("aria-describedby"); }
      if (control.tagName === "FIELDSET") { return; }
      if (shown) { control.setAttribute("aria-invalid", "true"); }
      else { control.removeAttribute("aria-invalid"); }
    });
  }

  var announce = {};
  function showCount(id, count, limit) {
    var box = byId(id + "-count");
    var said = words(count, limit);
    box.textContent = said;
    box.classList.toggle("count--over", Boolean(limit) && count > limit);
    var status = byId(id + "-count-status");  // gone, if the category changes meanwhile
    window.clearTimeout(announce[id]);
    announce[id] = window.setTimeout(function () { status.textContent = said; }, 1000);
  }

  function refresh() {
    var v = values();
    var states = sectionStates(v);
    var asks = asksOf(v.category);
    showCount("summary", countWords(v.summary), asks.summary_max_words);
    states.forEach(function (state, i) {
      showCount("section-" + (i + 1), state.words, asks.sections[i].max_words);
    });
    showErrors(check(v, states));
    var warning = byId("submitted-warning");
    var late = Boolean(data.deadline) && DATE.test(v.submitted) && v.submitted > data.deadline;
    warning.hidden = !late;
    warning.textContent = late ? "This is after the closing date, " + data.deadline_long +
      ": ask the programme team before you send a late entry." : "";
  }

  var pending = null;
  function soon() {
    window.cancelAnimationFrame(pending);
    pending = window.requestAnimationFrame(refresh);
  }

  function fieldOf(element) {
    if (element.name === "category") { return "category"; }
    if (element.name === "care_setting") { return "care-setting"; }
    return element.id;
  }

  form.addEventListener("input", function (event) {
    if (event.target.name === "category") { applyCategory(); }
    saveStatus.textContent = "";
    soon();
  });
  form.addEventListener("change", function (event) {
    if (event.target.name === "category") { applyCategory(); }
    touched[fieldOf(event.target)] = true;
    refresh();
  });
  form.addEventListener("focusout", function (event) {
    if (event.target.value) { touched[fieldOf(event.target)] = true; }
    refresh();
  });

  errorList.addEventListener("click", function (event) {
    var link = event.target.closest("a");
    if (!link) { return; }
    event.preventDefault();
    var target = byId(link.getAttribute("data-target"));
    target.focus();
    target.scrollIntoView({ block: "center" });
  });

  function download(name, content) {
    var url = URL.createObjectURL(new Blob([content], { type: "text/markdown;charset=utf-8" }));
    var link = document.createElement("a");
    link.href = url;
    link.download = name;
    link.hidden = true;
    document.body.appendChild(link);
    link.click();
    link.remove();
    window.setTimeout(function () { URL.revokeObjectURL(url); }, 10000);
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    showAll = true;
    var v = values();
    var found = check(v, sectionStates(v));
    var content = found.length ? "" : entryFile(v);
    if (new TextEncoder().encode(content).length > MAX_BYTES) {
      found.push({ id: "summary", target: "summary", message: "The entry is larger than " +
        "1 MiB, the most an entry file may be; shorten the sections." });
    }
    refresh();
    errorList.textContent = "";
    if (found.length) {
      found.forEach(function (f) {
        var item = document.createElement("li");
        var link = document.createElement("a");
        link.href = "#" + f.target;
        link.setAttribute("data-target", f.target);
        link.textContent = f.message;
        item.appendChild(link);
        errorList.appendChild(item);
      });
      summaryBox.hidden = false;
      summaryBox.focus();
      saveStatus.className = "status status--error";
      saveStatus.textContent = "Not saved: " + (found.length === 1 ? "1 thing needs" :
        found.length + " things need") + " fixing first (listed at the top of the form).";
      return;
    }
    summaryBox.hidden = true;
    var name = (savedName || slugify(v.title)) + ".md";
    download(name, content);
    saveStatus.className = "status status--done";
    saveStatus.textContent = "Saved " + name + " (in your downloads). " + data.how_to_send;
  });

  openFile.addEventListener("change", function () {
    var file = openFile.files[0];
    if (!file) { return; }
    openStatus.className = "status";
    if (file.size > MAX_BYTES) {
      openStatus.className = "status status--error";
      openStatus.textContent = file.name + " is larger than 1 MiB, so it is not an entry file.";
      return;
    }
    file.text().then(function (source) {
      var read = readEntryFile(source);
      fill(read.values);
      var stem = file.name.replace(/\.md$/i, "").replace(/ \(\d+\)$/, "");
      savedName = /^[a-z0-9][a-z0-9-]{0,63}$/.test(stem) ? stem : null;
      touched = {};
      showAll = false;
      summaryBox.hidden = true;
      refresh();
      openStatus.textContent = "Opened " + file.name + ". " + read.notes.join(" ") +
        (read.notes.length ? " " : "") + "Make your changes, then save the entry file again.";
    }).catch(function (problem) {
      openStatus.className = "status status--error";
      openStatus.textContent = problem instanceof FileProblem
        ? file.name + ", line " + problem.line + ": " + problem.message +
          " Nothing in the form was changed."
        : file.name + " could not be read (" + problem + ").";
    });
  });

  function today() {
    var now = new Date();
    return now.getFullYear() + "-" + String(now.getMonth() + 1).padStart(2, "0") + "-" +
      String(now.getDate()).padStart(2, "0");
  }

  byId("submitted").value = today();
  area.hidden = false;
  applyCategory();
  refresh();

  // for the tests, which hold these to qsi's Python
  window.qsiEntryForm = {
    countWords: countWords, outline: outline, analyse: analyse, quoted: quoted,
    scalar: scalar, flowList: flowList, slugify: slugify, entryFile: entryFile,
    bodyText: bodyText, sectionStates: sectionStates,
    readEntryFile: function (source) {
      try { return readEntryFile(source); } catch (problem) {
        if (problem instanceof FileProblem) { return { line: problem.line, problem: problem.message }; }
        throw problem;
      }
    },
    nameKey: nameKey
  };
}());
