"""Path converters for the reply URLs."""

from comments.targets import MAX_PK


class ReplyIdConverter:
    """A reply's id in a path: digits, at most MAX_PK (2**63 - 1). A larger number names no
    reply, so the route does not match (404) rather than overflowing the query (a 500)."""

    regex = "[0-9]+"

    def to_python(self, value):
        number = int(value)
        if number > MAX_PK:
            raise ValueError("larger than any reply id")
        return number

    def to_url(self, value):
        return str(value)
