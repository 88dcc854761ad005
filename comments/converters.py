"""Path converters for the reply URLs."""

# The largest id a BigAutoField holds (a signed 64-bit integer, on SQLite and PostgreSQL).
MAX_ID = 2**63 - 1


class ReplyIdConverter:
    """A reply's id in a path: digits, at most MAX_ID. A larger number names no reply, so the
    route does not match (404) rather than overflowing the database query (a 500)."""

    regex = "[0-9]+"

    def to_python(self, value):
        number = int(value)
        if number > MAX_ID:
            raise ValueError("larger than any reply id")
        return number

    def to_url(self, value):
        return str(value)
