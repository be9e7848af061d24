"""The documented API paths."""

LOOKUP = "/users/orders/anonymous/"
SINGLE = "/users/orders/anonymous/cancellation_requests/"
BULK = "/users/orders/anonymous/bulk_cancellation_requests/"
REASONS = "/users/orders/cancellation_reasons/"
CSRF = "/csrf_token/"
POST_PATHS = [LOOKUP, SINGLE, BULK]
