"""Language choice (Indonesian first, per user) and the forced password change."""

from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation


class IndonesianFirstLocaleMiddleware(LocaleMiddleware):
    """Indonesian unless the visitor chose otherwise with the language switch.

    Django would follow the browser's Accept-Language, but many officers' browsers
    say English by default; Niaga speaks Indonesian until someone asks for English.
    """

    def process_request(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        language = chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


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
