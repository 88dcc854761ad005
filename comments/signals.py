"""Signals other apps answer without comments importing them (DESIGN.md §8).

`reader_erasure_requested(sender, email, user)`: a reader asked to be erased (the desk's
privacy request). comments.lifecycle.erase sends it once it has erased the replies; each
receiver erases what its app holds for that address and returns a short phrase saying what
it did ("2 letters deleted"), or "" for nothing; the desk shows the phrases."""

from django.dispatch import Signal

reader_erasure_requested = Signal()
