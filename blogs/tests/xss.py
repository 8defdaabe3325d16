"""An XSS corpus and a checker that parses HTML the way a browser would see tags."""

import html
import re
from html.parser import HTMLParser

from core.markdown import ALLOWED_TAGS, ALLOWED_URL_SCHEMES

PAYLOADS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    '<img src=x onerror="alert(1)">',
    "<img src=x onerror=alert(1)//",
    '<body onload="alert(1)">',
    '<div onmouseover="alert(1)">hover</div>',
    '<a href="javascript:alert(1)">click</a>',
    '<a href="  JaVaScRiPt:alert(1)">click</a>',
    '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)">x</a>',
    '<a href="&#x6A;avascript&#x3A;alert(1)">x</a>',
    '<a href="java\tscript:alert(1)">x</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    '<a href="vbscript:msgbox(1)">x</a>',
    "[click](javascript:alert(1))",
    "[click](JAVASCRIPT:alert(1))",
    "[click](&#106;avascript:alert(1))",
    "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    '[click](https://ok.example "title" onclick="alert(1)")',
    "![img](javascript:alert(1))",
    '![img](x" onerror="alert(1))',
    "[ref]: javascript:alert(1)\n\n[ref]",
    '<svg onload="alert(1)"><circle r="1"/></svg>',
    "<svg><script>alert(1)</script></svg>",
    '<svg><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    '<math href="javascript:alert(1)">click</math>',
    '<iframe src="https://evil.example"></iframe>',
    '<object data="javascript:alert(1)"></object>',
    '<embed src="javascript:alert(1)">',
    '<style>body{background:url("javascript:alert(1)")}</style>',
    '<p style="background:url(javascript:alert(1))">x</p>',
    '<form action="javascript:alert(1)"><button>go</button></form>',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    "<<script>alert(1);//<</script>",
    '<img """><script>alert(1)</script>">',
    '<a href="javascript&colon;alert(1)">x</a>',
    "`<script>alert(1)</script>` and ```\n<script>alert(1)</script>\n```",
    "<!--<script>alert(1)</script>-->",
    '<base href="javascript:alert(1)//">',
]

_CONTROL = re.compile(r"[\x00-\x20]+")


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.attrs: list[tuple[str, str, str]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attrs.extend((tag, name, value or "") for name, value in attrs)

    handle_startendtag = handle_starttag


# The portal's own page structure around user content (it has no script tags at all).
PAGE_TAGS = ALLOWED_TAGS | {
    "main", "article", "section", "div", "span", "nav", "form", "label", "textarea", "input",
    "button",
}  # fmt: skip


def dangers(fragment: str, allowed_tags: set[str] = ALLOWED_TAGS) -> list[str]:
    """What in this HTML could run script; an empty list means harmless."""
    found = []
    parser = _Collector()
    parser.feed(fragment)
    parser.close()
    for tag in parser.tags:
        if tag not in allowed_tags:
            found.append(f"tag <{tag}>")
    for tag, name, value in parser.attrs:
        if name.startswith("on") or name in ("style", "srcdoc", "formaction"):
            found.append(f"attribute {name} on <{tag}>")
        if name in ("href", "src", "action", "xlink:href"):
            url = _CONTROL.sub("", html.unescape(value)).lower()
            scheme = url.split(":", 1)[0] if ":" in url.split("/", 1)[0] else ""
            if scheme and scheme not in ALLOWED_URL_SCHEMES:
                found.append(f"{scheme}: URL in {name} of <{tag}>")
    return found
