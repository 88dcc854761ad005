"""The editors' inbox in the Wagtail admin ("Reader letters"): tabs per status with counts,
search, a topic filter, a letter's page with its actions, bulk actions, a dashboard panel and
the count of new letters in the menu label.

`filters` holds the tabs, counts and search; `views` the listing, a letter's page and its
actions (which go through mailbag.lifecycle and mailbag.drafts); `viewsets` the menu item and
chooser; `panels` the dashboard; `bulk_actions` the bulk-action bar; `permissions` who may
view and change letters. They are wired up in `mailbag/wagtail_hooks.py`.
"""
