"""Per-user language and the forced password change after a reset."""

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation


class UserLanguageMiddleware:
    """A logged-in user sees the language they chose, on every device."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.languages = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.language in self.languages:
            translation.activate(user.language)
            request.LANGUAGE_CODE = user.language
        return self.get_response(request)


class PasswordChangeRequiredMiddleware:
    """After an admin reset, the user can do nothing but choose a new password."""

    ALLOWED_NAMES = ("accounts:password_change", "accounts:logout", "accounts:language")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.must_change_password:
            allowed = {reverse(name) for name in self.ALLOWED_NAMES}
            if request.path not in allowed and not request.path.startswith(
                (settings.STATIC_URL, "/healthz")
            ):
                return redirect("accounts:password_change")
        return self.get_response(request)
