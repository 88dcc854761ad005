"""Spreadsheet exports that cannot run what a reader typed.

A spreadsheet opening a CSV file reads a cell starting with `=`, `+`, `-` or `@` as a formula
(and a leading tab or carriage return can hide one), so a pen name such as
`=HYPERLINK("http://…","Click")` would run on the editor's machine. Every CSV the site offers
goes through `SafeSpreadsheetExportMixin` (a drop-in for Wagtail's SpreadsheetExportMixin,
which listing views carry): such a cell is written with a single quote in front, which
spreadsheets show as text. Wagtail's XLSX export already stores formula-like cells as text."""

from wagtail.admin.views.mixins import SpreadsheetExportMixin

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """`value` as a CSV cell no spreadsheet reads as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


class SafeSpreadsheetExportMixin(SpreadsheetExportMixin):
    def preprocess_field_value(self, field, value, export_format):
        value = super().preprocess_field_value(field, value, export_format)
        return safe_cell(value) if export_format == self.FORMAT_CSV else value
