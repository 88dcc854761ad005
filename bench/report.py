"""What the benchmark prints: progress on stderr, the tables on stdout."""

import sys


def say(line=""):
    sys.stdout.write(f"{line}\n")
    sys.stdout.flush()


def progress(line):
    """What the benchmark is doing, on stderr, so the report on stdout stays a report."""
    sys.stderr.write(f"bench: {line}\n")
    sys.stderr.flush()


def ms(seconds):
    if seconds < 0.001:
        return f"{seconds * 1e6:,.0f} µs"
    return f"{seconds * 1e3:,.1f} ms"


class Table:
    HEADER = ("", "warm-up", "runs", "median", "p90", "ratio of medians")

    def __init__(self):
        self.rows = []
        self.last_pairs = []

    def stats(self, stats):
        row = (stats.label, stats.warmup, len(stats.times), ms(stats.median), ms(stats.p90), "")
        self.rows.append(row)

    def pair(self, a, b, ratio_label, note=""):
        self.last_pairs.append((a, b))
        self.stats(a)
        self.stats(b)
        ratio = f"{b.median / a.median:,.2f}x" + (f"  {note}" if note else "")
        self.rows.append((f"  {ratio_label}", "", "", "", "", ratio))

    def note(self, text):
        self.rows.append((text, "", "", "", "", ""))

    def section(self, title):
        if self.rows:
            self.rows.append(("", "", "", "", "", ""))
        self.note(title)

    def lines(self):
        widths = [max(len(str(row[i])) for row in [self.HEADER, *self.rows]) for i in range(5)]
        rule = "-" * (sum(widths) + 2 * 5 + len(self.HEADER[5]))

        def fmt(row):
            first = str(row[0]).ljust(widths[0])
            rest = [
                str(cell).rjust(width) for cell, width in zip(row[1:5], widths[1:], strict=True)
            ]
            return "  ".join([first, *rest, str(row[5])]).rstrip()

        return [fmt(self.HEADER), rule, *(fmt(row) for row in self.rows)]


def page_table(results):
    floor = results["floor"]["median_ms"]
    header = ("key", "what", "median", "p95", "x floor", "queries", "KB")
    rows = [
        (
            "floor",
            "bare Wagtail page, one-line template",
            f"{floor:.1f} ms",
            f"{results['floor']['p95_ms']:.1f} ms",
            "1.00",
            str(results["floor"]["queries"]),
            f"{results['floor']['bytes'] / 1024:.1f}",
        ),
        (
            "trivial",
            "Django view, fixed string",
            f"{results['trivial']['median_ms']:.1f} ms",
            f"{results['trivial']['p95_ms']:.1f} ms",
            f"{results['trivial']['median_ms'] / floor:.2f}",
            str(results["trivial"]["queries"]),
            f"{results['trivial']['bytes'] / 1024:.1f}",
        ),
    ]
    for name, entry in results["pages"].items():
        rows.append(
            (
                name,
                entry["what"],
                f"{entry['median_ms']:.1f} ms",
                f"{entry['p95_ms']:.1f} ms",
                f"{entry['ratio']:.2f}",
                str(entry["queries"]),
                f"{entry['bytes'] / 1024:.1f}",
            )
        )
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]

    def fmt(row):
        cells = [row[0].ljust(widths[0]), row[1].ljust(widths[1])]
        cells += [cell.rjust(width) for cell, width in zip(row[2:], widths[2:], strict=True)]
        return "  ".join(cells)

    return [fmt(header), "-" * (sum(widths) + 2 * (len(widths) - 1)), *map(fmt, rows)]
