"""CSV exports cannot run what a reader typed: a cell a spreadsheet would read as a formula is
written with a quote in front, in every CSV export our admin offers."""

import pytest
from django.apps import apps
from wagtail.admin.views.mixins import SpreadsheetExportMixin
from wagtail.admin.viewsets import viewsets
from wagtail.admin.viewsets.base import ViewSet

from guard.exports import SafeSpreadsheetExportMixin, safe_cell

# Hostile input: also part of `make attack` (docs/SECURITY.md).
pytestmark = pytest.mark.attack

OUR_APPS = {"advice", "comments", "guard", "mailbag", "importer", "outbox", "pagecache", "base"}


@pytest.mark.parametrize(
    "typed",
    ['=HYPERLINK("http://x.example","Click")', "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1"],
)
def test_a_formula_start_is_neutralised(typed):
    assert safe_cell(typed) == "'" + typed


@pytest.mark.parametrize("value", ["Anxious Annie", "a=b", "", 12, None])
def test_other_values_are_left_alone(value):
    assert safe_cell(value) == value


def test_every_csv_export_of_our_admin_uses_the_safe_mixin():
    """Every viewset of our apps whose listing can export (Wagtail's export mixin, with
    columns to export) exports through guard's mixin."""
    ours = {config.label for config in apps.get_app_configs() if config.label in OUR_APPS}
    exporting = []
    for viewset in viewsets.viewsets:
        model = getattr(viewset, "model", None)
        view = getattr(viewset, "index_view_class", None)
        if not isinstance(model, type) or model._meta.app_label not in ours or view is None:
            continue
        declared = getattr(viewset, "list_export", ViewSet.UNDEFINED)
        if declared is ViewSet.UNDEFINED:
            declared = view.list_export  # a property (the inbox's) or Wagtail's empty list
        if issubclass(view, SpreadsheetExportMixin) and declared:
            exporting.append(view)
    assert exporting, "the inbox exports: this test must see it"
    assert [v for v in exporting if not issubclass(v, SafeSpreadsheetExportMixin)] == []
