"""A stand-in view for pages not built yet, so that links resolve while the parts
of the app are built side by side. Remove when every part is in."""

from django.http import Http404


def not_yet(request, *args, **kwargs):
    raise Http404("not built yet")
