import re
import unicodedata

from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Q
from markdown_it import MarkdownIt
from markdown_it.token import Token

from core.models import BaseModel
from users.models import User

EXCERPT_LIMIT = 300
# The renderer's block grammar (core.markdown), so that a table here is a table there.
_block_parser = MarkdownIt("commonmark", {"html": False}).enable(["table", "strikethrough"])
# Blocks that cannot be shown in part: the excerpt ends before the first of them.
_STOP_BLOCKS = {"table_open", "fence", "code_block", "html_block", "hr"}
# A sentence ends at . ! ? or an ellipsis, then closing quotes or brackets, then a space;
# or at a CJK full stop (no space follows one).
_SENTENCE_END = re.compile(
    "[.!?\u2026][\"'\u201d\u2019\u00bb)\\]]*(?=\\s|$)|[\u3002\uff01\uff1f][\u300d\u300f\uff09]*"
)
# Left at the end of a word cut, these would dangle before the ellipsis.
_DANGLING = " \t\n,;:\u2014\u2013-([{\"'\u201c\u2018\u00ab\u00b7"
_JOINERS = {"\u200d", "\ufe0e", "\ufe0f"}


def _inline_text(token: Token) -> str:
    parts = [
        child.content if child.type in ("text", "code_inline") else " "
        for child in token.children or []
        if child.type in ("text", "code_inline", "softbreak", "hardbreak")
    ]
    return " ".join("".join(parts).split())


def _units(body: str) -> tuple[list[tuple[str, str, str]], bool]:
    """The post's opening as (separator, prefix, plain text) units, one per paragraph, heading
    or list item, up to the first block that cannot be cut; and whether anything follows."""
    tokens = _block_parser.parse(body)
    units: list[tuple[str, str, str]] = []
    start = 0
    while start < len(tokens):
        end, depth = start, tokens[start].nesting
        while depth > 0:
            end += 1
            depth += tokens[end].nesting
        block = tokens[start : end + 1]
        if any(token.type in _STOP_BLOCKS for token in block):
            return units, True
        if block[0].type in ("bullet_list_open", "ordered_list_open"):
            # One unit per item of this list; a nested list's text joins its item's.
            items: list[tuple[str, list[str]]] = []
            for token in block[1:-1]:
                if token.type == "list_item_open" and token.level == 1:
                    items.append((f"{token.info}{token.markup} " if token.info else "• ", []))
                elif token.type == "inline":
                    items[-1][1].append(_inline_text(token))
            for index, (marker, texts) in enumerate(items):
                units.append(("\n" if index else "\n\n", marker, " ".join(filter(None, texts))))
        else:
            text = " ".join(filter(None, (_inline_text(t) for t in block if t.type == "inline")))
            if text:
                units.append(("\n\n", "", text))
        start = end + 1
    return units, False


def _cut(text: str, room: int) -> tuple[str, bool]:
    """At most `room` characters of `text`: whole sentences if they fill half of it, else whole
    words. Returns the cut and whether it ends a sentence."""
    sentences = [m.end() for m in _SENTENCE_END.finditer(text) if m.end() <= room]
    if sentences and sentences[-1] >= room // 2:
        return text[: sentences[-1]], True
    spaces = [i for i in range(min(room, len(text) - 1), 0, -1) if text[i].isspace()]
    if spaces:
        return text[: spaces[0]].rstrip(_DANGLING), False
    # No space (e.g. Chinese, Japanese): cut between wide characters, never inside one.
    end = room
    while end > 0 and (
        unicodedata.combining(text[end]) or text[end] in _JOINERS or text[end - 1] in _JOINERS
    ):
        end -= 1
    wide = end > 0 and all(unicodedata.east_asian_width(c) in "WF" for c in text[end - 1 : end + 1])
    return (text[:end], False) if wide else ("", False)


def post_excerpt(body: str, *, limit: int = EXCERPT_LIMIT) -> str:
    """The opening of a Markdown post as plain text of at most `limit` characters.

    It ends at a block boundary before any table, code block or rule, or inside a paragraph
    or list item at a sentence or word boundary, and then ends with an ellipsis."""
    units, more = _units(body)
    whole = "".join(
        (sep if i else "") + prefix + text for i, (sep, prefix, text) in enumerate(units)
    )
    if not more and len(whole) <= limit:
        return whole
    budget = limit - 2  # room for " …"
    excerpt, at_sentence = "", True
    for sep, prefix, text in units:
        sep = sep if excerpt else ""
        if len(excerpt) + len(sep) + len(prefix) + len(text) <= budget:
            excerpt += sep + prefix + text
            continue
        room = budget - len(excerpt) - len(sep) - len(prefix)
        cut, at_sentence = _cut(text, room) if room > 0 else ("", True)
        # A short tail after whole blocks reads worse than stopping at the block.
        if cut and (not excerpt or len(cut) >= min(40, room)):
            excerpt += sep + prefix + cut
        else:
            at_sentence = True
        break
    if not excerpt:
        return ""
    return excerpt + (" …" if at_sentence else "…")


class Tag(BaseModel):
    name = models.CharField(max_length=50, unique=True)
    slug = models.SlugField(max_length=60, unique=True, allow_unicode=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class PostStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"


class BlogPost(BaseModel):
    author = models.ForeignKey(User, on_delete=models.PROTECT, related_name="blog_posts")
    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=220, unique=True, allow_unicode=True)
    body = models.TextField(max_length=100_000, help_text="Markdown")
    body_html = models.TextField(editable=False, help_text="Rendered and sanitized")
    status = models.CharField(max_length=16, choices=PostStatus.choices, default=PostStatus.DRAFT)
    published_at = models.DateTimeField(null=True, blank=True, db_index=True)
    tags = models.ManyToManyField(Tag, related_name="posts", blank=True)
    # Kept current by blogs.services on PostgreSQL (GIN-indexed); unused on SQLite.
    search_vector = SearchVectorField(null=True, editable=False)

    class Meta:
        ordering = ["-published_at", "-created_at"]
        indexes = [models.Index(fields=["status", "-published_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="draft") | Q(published_at__isnull=False),
                name="blogs_post_published_has_date",
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def excerpt(self) -> str:
        return post_excerpt(self.body)


class Comment(BaseModel):
    post = models.ForeignKey(BlogPost, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(User, on_delete=models.PROTECT, related_name="blog_comments")
    body = models.TextField(max_length=5000)
    is_hidden = models.BooleanField(default=False)
    hidden_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    hidden_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at"]
        indexes = [models.Index(fields=["post", "is_hidden", "created_at"])]

    def __str__(self) -> str:
        return f"{self.author} on {self.post}"
