"""Logging in and out, one's own password and language, and the province team pages."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from niaga.accounts import domain
from niaga.accounts.forms import LoginForm, PasswordChangeForm, RoleGrantForm, UserCreateForm
from niaga.accounts.models import Membership, Role, User
from niaga.accounts.queries import team_members
from niaga.core.scoping import require_province_perm


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    pass


@login_required
def password_change(request):
    form = PasswordChangeForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            domain.user_password_change(
                user=request.user, new_password=form.cleaned_data["new_password1"]
            )
        except ValidationError as error:
            form.add_error("new_password1", error)
        else:
            update_session_auth_hash(request, request.user)
            messages.success(request, _("Your password has been changed."))
            return redirect("core:home")
    return TemplateResponse(request, "accounts/password_change.html", {"form": form})


@require_POST
def language(request):
    """Switch the language; a logged-in user keeps the choice on every device."""
    code = request.POST.get("language", "")
    if code not in dict(settings.LANGUAGES):
        return HttpResponseBadRequest(_("Unknown language."))
    target = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = "/"
    if request.user.is_authenticated:
        domain.user_language_set(user=request.user, language=code)
    response = redirect(target)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        code,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=True,
    )
    return response


# --- The province team (inside /province/<slug>/team/, scoped) ---------------


def _member_or_404(request, user_id: int) -> User:
    """A user of this province's team; anyone else answers 404."""
    membership = (
        Membership.objects.filter(province=request.province, user_id=user_id)
        .select_related("user")
        .first()
    )
    if membership is None:
        raise Http404("not in this province's team")
    return membership.user


@require_province_perm("accounts.manage_team")
def team(request):
    return TemplateResponse(
        request,
        "accounts/team.html",
        {"members": team_members(request.province), "roles": Role},
    )


@require_province_perm("accounts.manage_team")
def team_create(request):
    form = UserCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user, password = domain.user_create(
                actor=request.user, province=request.province, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return _show_password(request, user, password, created=True)
    return TemplateResponse(request, "accounts/team_create.html", {"form": form})


def _show_password(request, user: User, password: str, *, created: bool):
    """The temporary password, shown once, never stored in clear or sent by mail."""
    response = TemplateResponse(
        request,
        "accounts/temporary_password.html",
        {"member": user, "password": password, "created": created},
    )
    response["Cache-Control"] = "no-store"
    return response


@require_province_perm("accounts.manage_team")
def team_member(request, user_id: int):
    member = _member_or_404(request, user_id)
    roles_here = list(
        Membership.objects.filter(province=request.province, user=member).order_by("role")
    )
    held = {m.role for m in roles_here}
    grant_form = RoleGrantForm()
    grant_form.fields["role"].choices = [(v, label) for v, label in Role.choices if v not in held]
    return TemplateResponse(
        request,
        "accounts/team_member.html",
        {"member": member, "memberships": roles_here, "grant_form": grant_form},
    )


def _team_action(request, user_id: int, action, success: str):
    member = _member_or_404(request, user_id)
    try:
        result = action(member)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return None, member
    messages.success(request, success % {"user": member.username})
    return result, member


def _back_to_member(request, member: User):
    return redirect(
        reverse(
            "province:team_member", kwargs={"province": request.province.slug, "user_id": member.pk}
        )
    )


@require_POST
@require_province_perm("accounts.manage_team")
def team_role_grant(request, user_id: int):
    form = RoleGrantForm(request.POST)
    if not form.is_valid():
        member = _member_or_404(request, user_id)
        messages.error(request, _("Choose a role to give."))
        return _back_to_member(request, member)
    _result, member = _team_action(
        request,
        user_id,
        lambda m: domain.role_grant(
            actor=request.user, province=request.province, user=m, role=form.cleaned_data["role"]
        ),
        _("%(user)s has a new role."),
    )
    return _back_to_member(request, member)


@require_POST
@require_province_perm("accounts.manage_team")
def team_role_revoke(request, user_id: int, role: str):
    _result, member = _team_action(
        request,
        user_id,
        lambda m: domain.role_revoke(
            actor=request.user, province=request.province, user=m, role=role
        ),
        _("The role was taken from %(user)s."),
    )
    if not Membership.objects.filter(province=request.province, user=member).exists():
        return redirect("province:team", province=request.province.slug)
    return _back_to_member(request, member)


@require_POST
@require_province_perm("accounts.manage_team")
def team_deactivate(request, user_id: int):
    _result, member = _team_action(
        request,
        user_id,
        lambda m: domain.user_deactivate(actor=request.user, province=request.province, user=m),
        _("%(user)s can no longer log in."),
    )
    return _back_to_member(request, member)


@require_POST
@require_province_perm("accounts.manage_team")
def team_activate(request, user_id: int):
    _result, member = _team_action(
        request,
        user_id,
        lambda m: domain.user_activate(actor=request.user, province=request.province, user=m),
        _("%(user)s can log in again."),
    )
    return _back_to_member(request, member)


@require_POST
@require_province_perm("accounts.manage_team")
def team_password_reset(request, user_id: int):
    password, member = _team_action(
        request,
        user_id,
        lambda m: domain.user_password_reset(actor=request.user, province=request.province, user=m),
        _("A temporary password was set for %(user)s."),
    )
    if password is None:
        return _back_to_member(request, member)
    return _show_password(request, member, password, created=False)
