"""Excerpts end where the post still reads well: never inside a table, code block or word."""

import re

import pytest

from blogs.models import EXCERPT_LIMIT, BlogPost, PostStatus, post_excerpt
from blogs.services import post_create

INTRO = "Allergy season starts early this year, and many of you have asked what helps."

TABLE_AFTER_INTRO = f"""{INTRO}

| Pollen | Peak months | Worst time of day |
| --- | --- | --- |
| Birch | April to May | Early morning |
| Grass | June to July | Late afternoon |
| Ragweed | August to September | Midday |

Keep windows closed on dry, windy days."""

ONLY_A_TABLE = """| Vaccine | Age | Booster |
| --- | --- | --- |
| Tetanus | 2 months | every 10 years |
| Measles | 12 months | 4 years |"""

LONG_PARAGRAPH_THEN_TABLE = (
    "Hay fever is common. "
    + " ".join(["Antihistamines ease sneezing and itchy eyes for most people."] * 8)
    + "\n\n| Drug | Drowsy |\n| --- | --- |\n| Cetirizine | a little |\n"
)

CODE_AFTER_INTRO = f"""{INTRO}

```python
def pollen_alert(count: int) -> bool:
    return count > 50  # grains per cubic metre
```

After the code, the article goes on for a while longer."""

UNCLOSED_FENCE = """Our booking export looks like this:

```csv
date,doctor,patient
2026-04-01,Weber,Garcia
"""

LONG_LIST = "Bring these to your appointment:\n\n" + "\n".join(
    f"* Item number {n}: a medication list, inhaler, spacer and your peak-flow diary"
    for n in range(1, 31)
)

UNICODE_TEXT = (
    "Η γύρη των δέντρων κορυφώνεται την άνοιξη· κλείστε τα παράθυρα νωρίς το πρωί. "  # noqa: RUF001
    "Příznaky senné rýmy zmírní včasná léčba — zeptejte se lékaře na antihistaminika. "
    "Cafe\u0301 au lait, naïve façade, jalapeño 🌶️ and 👩‍⚕️ doctors agree: rinse your eyes. "
) * 3

LINK_HEAVY = (
    "Read the [pollen forecast from the national weather service]"
    "(https://weather.example/pollen/forecast/today) and the **official** "
    "[guidance on allergy medicines](https://health.example/allergy/medicines) before "
    "you start any treatment, and ask `us` if anything is unclear. " * 4
)

BODIES = {
    "table after intro": TABLE_AFTER_INTRO,
    "only a table": ONLY_A_TABLE,
    "long paragraph then table": LONG_PARAGRAPH_THEN_TABLE,
    "code after intro": CODE_AFTER_INTRO,
    "unclosed fence": UNCLOSED_FENCE,
    "long list": LONG_LIST,
    "unicode": UNICODE_TEXT,
    "links": LINK_HEAVY,
}

_PUNCTUATION = ".,;:!?…—\u2013-·()[]{}*_`\"'«»“”\u2018\u2019#|"


def _words(text: str) -> set[str]:
    """The words of a Markdown source, without its link, emphasis and code marks."""
    return {word.strip(_PUNCTUATION) for word in re.split(r"[\s\[\]()*`|]+", text)} - {""}


def _last_word(excerpt: str) -> str:
    return excerpt.rstrip(" …").split()[-1].strip(_PUNCTUATION)


def _assert_well_cut(excerpt: str, body: str, limit: int) -> None:
    assert len(excerpt) <= limit, (limit, excerpt)
    assert "|" not in excerpt, excerpt
    assert "```" not in excerpt and "def pollen_alert" not in excerpt, excerpt
    assert "](" not in excerpt and "**" not in excerpt, excerpt
    if excerpt.rstrip(" …"):
        assert _last_word(excerpt) in _words(body), (limit, excerpt)


@pytest.mark.parametrize("name", BODIES)
@pytest.mark.parametrize("limit", [*range(12, 420, 9), EXCERPT_LIMIT])
def test_excerpt_is_never_cut_inside_a_block_or_a_word(name, limit):
    _assert_well_cut(post_excerpt(BODIES[name], limit=limit), BODIES[name], limit)


def test_an_excerpt_stops_before_a_table_with_an_ellipsis():
    excerpt = post_excerpt(TABLE_AFTER_INTRO, limit=EXCERPT_LIMIT)
    assert excerpt == f"{INTRO} …"
    assert post_excerpt(ONLY_A_TABLE, limit=EXCERPT_LIMIT) == ""


def test_a_long_paragraph_ends_on_a_sentence_before_the_table():
    excerpt = post_excerpt(LONG_PARAGRAPH_THEN_TABLE, limit=200)
    assert excerpt.startswith("Hay fever is common. Antihistamines")
    assert excerpt.endswith("most people. …")


def test_a_word_cut_ends_with_an_ellipsis_after_the_word():
    excerpt = post_excerpt("Wash " + "pollen off your hands and face " * 10, limit=50)
    # "... pollen off your" would be 51 characters before the ellipsis.
    assert excerpt == "Wash pollen off your hands and face pollen off…"


def test_the_code_block_and_everything_after_it_stay_out():
    excerpt = post_excerpt(CODE_AFTER_INTRO, limit=EXCERPT_LIMIT)
    assert excerpt == f"{INTRO} …"
    assert post_excerpt(UNCLOSED_FENCE, limit=EXCERPT_LIMIT) == (
        "Our booking export looks like this: …"
    )


def test_a_long_list_keeps_whole_items():
    excerpt = post_excerpt(LONG_LIST, limit=EXCERPT_LIMIT)
    lines = excerpt.split("\n")
    assert lines[0] == "Bring these to your appointment:"
    items = [line for line in lines if line.startswith("• ")]
    assert len(items) >= 2
    whole = "• Item number 1: a medication list, inhaler, spacer and your peak-flow diary"
    assert items[0] == whole
    assert excerpt.endswith("…")


def test_a_short_post_is_its_own_excerpt():
    assert post_excerpt("Drink water. *Rest.*", limit=EXCERPT_LIMIT) == "Drink water. Rest."
    assert BlogPost(body="Short and **sweet**.").excerpt == "Short and sweet."


def test_the_unicode_excerpt_keeps_whole_characters():
    for limit in range(20, 300, 3):
        excerpt = post_excerpt(UNICODE_TEXT, limit=limit)
        body = excerpt.rstrip(" …")
        assert body == UNICODE_TEXT[: len(body)].rstrip(), limit
        assert not body or not body[-1].isspace()


@pytest.mark.django_db
def test_the_blog_list_shows_no_piece_of_a_table(client, doctor):
    post_create(
        actor=doctor,
        title="Pollen calendar",
        body=TABLE_AFTER_INTRO.replace(INTRO, "Pollen counts rise in spring."),
        status=PostStatus.PUBLISHED,
    )
    html = client.get("/blog/").content.decode()
    summary = html[html.index('class="card post-summary"') :]
    summary = summary[: summary.index("</article>")]
    assert "Pollen counts rise in spring. …" in summary
    assert "<table" not in summary and "<td" not in summary and "Birch" not in summary
