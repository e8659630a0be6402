"""How many failed logins the admin takes: per reader address and per account.

django-axes counts failures for each lockout parameter ("ip_address" and
"username" here) but compares every count with one limit. An address gets
``AXES_FAILURE_LIMIT`` tries; an account, tried from any number of addresses,
gets ``AXES_ACCOUNT_FAILURE_LIMIT``: higher, so that one stranger cannot lock
an editor out with a handful of guesses, yet a guesser spreading attempts over
many addresses is stopped all the same. Failures count for a username whether
or not such an account exists, so the answer (the same lock-out page) never
tells which names are real.
"""

from __future__ import annotations

from axes.handlers.database import AxesDatabaseHandler
from django.conf import settings
from django.db.models import Sum


class AddressAndAccountHandler(AxesDatabaseHandler):
    """Axes' database handler with a limit per lockout parameter.

    Axes locks when ``get_failures() >= AXES_FAILURE_LIMIT`` (before a login
    and after each failure); the account's count is reported scaled to that
    limit, so it reaches it exactly when the account reaches its own:
    floor(n * address limit / account limit) >= address limit  <=>  n >= account limit.
    """

    def get_failures(self, request, credentials=None) -> int:
        address_limit = settings.AXES_FAILURE_LIMIT
        # One queryset per entry of AXES_LOCKOUT_PARAMETERS, in its order.
        attempts = self.get_user_attempts(request, credentials)
        scaled = []
        for parameter, queryset in zip(settings.AXES_LOCKOUT_PARAMETERS, attempts, strict=True):
            failures = queryset.aggregate(total=Sum("failures_since_start"))["total"] or 0
            if parameter == "username":
                failures = failures * address_limit // settings.AXES_ACCOUNT_FAILURE_LIMIT
            scaled.append(failures)
        return max(scaled, default=0)
