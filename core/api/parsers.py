import json

from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser


class SafeJSONParser(JSONParser):
    """JSON that nests too deeply for the decoder, or holds text that is not valid Unicode
    (a lone surrogate such as "\\ud800", which no answer could echo back), is a malformed
    request, not a crash."""

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
            json.dumps(data, ensure_ascii=False).encode("utf-8")
        except RecursionError:
            raise ParseError("JSON parse error - the document nests too deeply.") from None
        except UnicodeEncodeError:
            raise ParseError("JSON parse error - the text is not valid Unicode.") from None
        return data
