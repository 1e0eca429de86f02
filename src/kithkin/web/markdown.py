"""Notes are Markdown: rendered by markdown-it (raw HTML off), then sanitised by nh3.

Rendering is bounded: markdown-it spends tens of microseconds on every unmatched `[`, so a
note of 400,000 of them took 14.5 s to show. A note longer than MAX_MARKDOWN_CHARACTERS is
shown as plain text (escaped, its paragraphs and line breaks kept) at a cost linear in its
length; below that the worst input renders in about half a second (bench/imports_bounded.py
measured this against rendering once on save, which would move the same 14.5 s to every
save of such a note).
"""

from __future__ import annotations

import nh3
from django.utils.html import linebreaks
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt

MAX_MARKDOWN_CHARACTERS = 20_000

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
    if len(text) > MAX_MARKDOWN_CHARACTERS:
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
