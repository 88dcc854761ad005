"""What an import did (or, in a dry run, would do): counted as it goes, printed by the
command (import_wordpress.summary)."""

from collections import Counter
from dataclasses import dataclass, field


@dataclass
class Report:
    """What the import did (or, in a dry run, would do)."""

    dry_run: bool = False
    letters: int = 0
    drafts: int = 0  # not public on WordPress (drafts, scheduled, private, password)
    letters_before: int = 0
    # posts not in the letter's shape: (title, WordPress id, why, page id, WordPress status)
    review: list = field(default_factory=list)
    unmatched_skipped: list = field(default_factory=list)  # the same, left out (--unmatched skip)
    # the same, public on WordPress and published whole (--unmatched publish): (title, WordPress
    # id, why, WordPress status)
    published_as_is: list = field(default_factory=list)
    replies: Counter = field(default_factory=Counter)  # by status
    replies_before: int = 0
    moved_up: int = 0  # deeper than our threads
    reattached: int = 0  # their parent was not imported
    images: int = 0
    images_before: int = 0
    missing: list = field(default_factory=list)  # (path or address, why, WordPress post id)
    redirects: int = 0
    redirects_before: int = 0
    redirects_waiting: int = 0  # old addresses of letters not live: made when published
    conflicts: list = field(default_factory=list)  # old paths already sending elsewhere
    topics: list = field(default_factory=list)
    columnists: list = field(default_factory=list)
    unmapped: set = field(default_factory=set)
    renamed: list = field(default_factory=list)  # (WordPress slug, our slug)
    skipped_posts: Counter = field(default_factory=Counter)
    skipped_comments: Counter = field(default_factory=Counter)
    failed: list = field(default_factory=list)  # (title, WordPress id, error)
    terms: Counter = field(default_factory=Counter)  # (domain, slug, name): posts using it

    @property
    def created_anything(self):
        return bool(
            self.letters
            or self.drafts
            or self.review
            or sum(self.replies.values())
            or self.images
            or self.redirects
            or self.topics
            or self.columnists
        )


def wordpress_status(post):
    """How the post stood on WordPress, as its editors said it."""
    if post.password:
        return "password-protected"
    return {"publish": "published", "future": "scheduled"}.get(post.status, post.status)
