"""What comments tells the rest of the site. Whoever shows replies (or caches pages that show
them) listens; comments knows none of them (advice.signals connects the page cache)."""

from django.dispatch import Signal

# Sent (sender=Reply, reply=…) when what readers see of a reply may have changed: it was
# stored public at once, or its status changed (approved, sent back, rejected, erased), or it
# was deleted. A reply stored held, waiting for a moderator, changes nothing readers see.
replies_changed = Signal()
