from .desk import RejectionReason  # noqa: F401
from .policy import ReplyPolicy  # noqa: F401
from .replies import (  # noqa: F401
    IN_THREAD,
    FollowupBatch,
    ModeratorEmailPreference,
    ReaderEmail,
    Reply,
    ReplyCount,
    ReplyReport,
    ReplyStatus,
)
