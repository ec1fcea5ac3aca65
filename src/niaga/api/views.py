"""The API tokens page: a person lists, makes and revokes their own tokens."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from niaga.accounts.queries import roles_by_province
from niaga.api import domain
from niaga.api.forms import TokenCreateForm
from niaga.api.models import ApiToken
from niaga.api.queries import tokens_of
from niaga.regions.models import Province

# Times are shown in the zone of the person's first province, or in WIB.
_DEFAULT_PROVINCE = "31"  # DKI Jakarta


def _home_province(user) -> Province | None:
    codes = sorted(roles_by_province(user)) or [_DEFAULT_PROVINCE]
    return Province.objects.filter(code=codes[0]).first()


def _page(request, form):
    return TemplateResponse(
        request,
        "api/tokens.html",
        {
            "form": form,
            "tokens": list(tokens_of(request.user)),
            "province": _home_province(request.user),
        },
    )


@login_required
def tokens(request):
    form = TokenCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            token, secret = domain.token_create(
                actor=request.user, user=request.user, name=form.cleaned_data["name"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            response = TemplateResponse(
                request, "api/token_created.html", {"token": token, "secret": secret}
            )
            response["Cache-Control"] = "no-store"
            return response
    return _page(request, form)


@require_POST
@login_required
def token_revoke(request, prefix: str):
    token = ApiToken.objects.filter(user=request.user, prefix=prefix).first()
    if token is None:
        raise Http404("not one of your tokens")
    try:
        domain.token_revoke(actor=request.user, token=token)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(
            request, _("The token niaga_%(prefix)s_… is revoked.") % {"prefix": token.prefix}
        )
    return redirect("api_tokens:list")
