"""Template context every page needs: the province spaces for the navigation."""

from django.utils.functional import SimpleLazyObject

import niaga
from niaga.accounts.queries import provinces_visible_to


def navigation(request):
    user = getattr(request, "user", None)
    return {
        "niaga_version": niaga.__version__,
        "current_province": getattr(request, "province", None),
        "nav_provinces": SimpleLazyObject(lambda: list(provinces_visible_to(user))),
    }
