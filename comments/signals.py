"""What comments tells the rest of the site, without comments importing any of it.
Whoever shows replies, caches pages that show them or holds a reader's data listens."""

from django.dispatch import Signal

# Sent (sender=Reply, reply=…) when what readers see of a reply may have changed: it was
# stored public at once, or its status changed (approved, sent back, rejected, erased), or it
# was deleted, or a moderator corrected it on the desk. A reply stored held, waiting for a moderator, changes nothing readers see.
# advice.signals connects the page cache to it; comments.counts keeps the cards' counts by it.
replies_changed = Signal()

# Sent (sender, email, user) when a reader asked to be erased (the desk's privacy request):
# comments.lifecycle.erase sends it once it has erased the replies; each receiver erases what
# its app holds for that address and returns a short phrase saying what it did ("2 letters
# deleted"), or "" for nothing; the desk shows the phrases.
reader_erasure_requested = Signal()

# Sent (sender, email, user) when a reader asked for a copy of their data (the desk's privacy
# request, beside erasure: comments.export): each receiver returns (name, data) for what its
# app holds for that address, data being JSON-serialisable (a list of records, or
# {"not_searched": why} when `user` may not see it), or None when it holds nothing of the kind.
reader_export_requested = Signal()
