"""Temporary placeholder view while issue 6's pages are built (removed when done)."""

from django.http import Http404


def not_built_yet(request, *args, **kwargs):
    raise Http404("not built yet")
