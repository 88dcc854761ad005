"""The moderation desk: where moderators work through reader replies in the Wagtail admin.

`actions` changes replies (and writes the audit log); the admin views, bulk actions, menu
item and dashboard panel are thin layers over it, wired up in `comments/wagtail_hooks.py`.
"""
