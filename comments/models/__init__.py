from .ratelimit import RateCounter  # noqa: F401
