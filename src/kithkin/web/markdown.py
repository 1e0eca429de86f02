"""Notes are Markdown: rendered by markdown-it (raw HTML off), then sanitised by nh3.

Rendering is bounded. markdown-it looks for the end of a link from every `[` to the end of
its paragraph, so a note of 400,000 `[` took 14.5 s to show, and 50 `![` before 20,000
characters of `a_` still take most of a second. A note is shown as plain text (escaped, its
paragraphs and line breaks kept, at a cost linear in its length) when it is longer than
MAX_MARKDOWN_CHARACTERS, or when the scans for links' ends would pass MAX_BRACKET_SCAN
characters (each `[` to its matching `]`, else to the end of its paragraph: ordinary links
scan their own text; two unclosed `[` in a 10,000-character paragraph are too many);
any other note renders in under two tenths of a second.
bench/imports_bounded.py measured this against rendering once on save and storing the
HTML, which would only move the same 14.5 s to every save of such a note.
"""

from __future__ import annotations

import nh3
from django.utils.html import linebreaks
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt

MAX_MARKDOWN_CHARACTERS = 10_000
MAX_BRACKET_SCAN = 10_000  # characters markdown-it may scan looking for links' ends

_renderer = MarkdownIt("commonmark", {"html": False}).enable(["table", "strikethrough"])

ALLOWED_TAGS = {
    "p",
    "br",
    "strong",
    "em",
    "del",
    "code",
    "pre",
    "blockquote",
    "ul",
    "ol",
    "li",
    "a",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}


def render_markdown(text: str) -> SafeString:
    """A note as safe HTML: Markdown up to MAX_MARKDOWN_CHARACTERS, plain text beyond."""
    text = text or ""
    if len(text) > MAX_MARKDOWN_CHARACTERS or _bracket_scan(text) > MAX_BRACKET_SCAN:
        return mark_safe(linebreaks(text, autoescape=True))
    html = _renderer.render(text)
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )
    return mark_safe(clean)


def _bracket_scan(text: str) -> int:
    """How far markdown-it scans for the ends of links, at most: from each `[` to its
    matching `]`, or to the end of its paragraph when none matches."""
    total = 0
    for part in text.split("\n\n"):
        opened: list[int] = []
        for position, character in enumerate(part):
            if character == "[":
                opened.append(position)
            elif character == "]" and opened:
                total += position - opened.pop()
        total += sum(len(part) - start for start in opened)
    return total
