from .desk import BlockedSender, RejectionReason  # noqa: F401
from .policy import ReplyPolicy  # noqa: F401
from .ratelimit import RateCounter  # noqa: F401
from .replies import (  # noqa: F401
    ModeratorEmailPreference,
    ReaderEmail,
    Reply,
    ReplyReport,
    ReplyStatus,
    address_hash,
    reply_status_changed,
)
