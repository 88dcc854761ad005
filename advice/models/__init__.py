from .listing import ListedLetter  # noqa: F401
from .pages import (  # noqa: F401
    AdviceIndexPage,
    GuideIndexPage,
    GuidePage,
    HomePage,
    HomePageFeaturedGuide,
    LetterPage,
    LetterRelatedLink,
)
from .snippets import Columnist, Topic  # noqa: F401
from .workflows import IndependentApprovalTask  # noqa: F401
