"""The column's models. The page tree is a closed grammar:

HomePage ─┬─ AdviceIndexPage (a column, e.g. "Dear PurseBop") ── LetterPage
          └─ GuideIndexPage ── GuidePage

One module per page type (home, columns, letters, guides), what they share (mixins, queries),
the listing kept beside the tree (listing), snippets and the review workflow.
"""

from .columns import AdviceIndexPage  # noqa: F401
from .feed_text import LetterFeedText  # noqa: F401
from .guides import GuideIndexPage, GuidePage  # noqa: F401
from .home import HomePage, HomePageFeaturedGuide  # noqa: F401
from .letters import LetterPage, LetterRelatedLink  # noqa: F401
from .listing import ListedLetter  # noqa: F401
from .snippets import Columnist, Topic  # noqa: F401
from .vocabulary import PageSearchWords, SearchWord  # noqa: F401
from .workflows import IndependentApprovalTask  # noqa: F401
