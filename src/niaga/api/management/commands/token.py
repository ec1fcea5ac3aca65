"""`niaga token create|list|revoke`: API tokens for operators.

`niaga token create --user USERNAME [--name LABEL]` prints the new token once,
alone on the last line, so a script can take it with `tail -n 1`.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from niaga.accounts.models import User
from niaga.api import domain
from niaga.api.models import ApiToken


class Command(BaseCommand):
    help = "Create, list and revoke API tokens."

    def add_arguments(self, parser):
        commands = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        create = commands.add_parser("create", help="make a token; it is printed only once")
        create.add_argument("--user", required=True, help="the username the token acts as")
        create.add_argument("--name", default="", help="a label, e.g. 'dashboard'")
        listing = commands.add_parser("list", help="list tokens (never their secrets)")
        listing.add_argument("--user", help="only this user's tokens")
        revoke = commands.add_parser("revoke", help="revoke a token by its prefix")
        revoke.add_argument("prefix", help="the 8 characters after niaga_")

    def handle(self, *args, action: str, **options):
        return getattr(self, f"_{action}")(**options)

    def _user(self, username: str) -> User:
        user = User.objects.filter(username__iexact=username).first()
        if user is None:
            raise CommandError(f"No user named {username!r}.")
        return user

    def _create(self, *, user: str, name: str, **options):
        owner = self._user(user)
        try:
            token, secret = domain.token_create(actor=None, user=owner, name=name)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        self.stdout.write(
            f"Token niaga_{token.prefix}_… for {owner.username}"
            + (f" ({token.name})" if token.name else "")
            + ". It is shown only now; store it safely:"
        )
        self.stdout.write(secret)

    def _list(self, *, user: str | None, **options):
        tokens = ApiToken.objects.select_related("user").order_by("user__username", "created_at")
        if user:
            tokens = tokens.filter(user=self._user(user))
        rows = list(tokens)
        if not rows:
            self.stdout.write("No tokens.")
            return
        header = ["PREFIX".ljust(10), "USER".ljust(20), "STATUS".ljust(8)]
        header += ["CREATED (UTC)".ljust(17), "LAST USED (UTC)".ljust(17), "LABEL"]
        self.stdout.write(" ".join(header))
        for t in rows:
            self.stdout.write(
                f"{t.prefix:10} {t.user.username:20} {'revoked' if t.revoked_at else 'active':8} "
                f"{t.created_at:%Y-%m-%d %H:%M}  "
                f"{(f'{t.last_used_at:%Y-%m-%d %H:%M}' if t.last_used_at else '-'):17} {t.name}"
            )

    def _revoke(self, *, prefix: str, **options):
        prefix = prefix.removeprefix("niaga_").split("_", 1)[0]
        token = ApiToken.objects.filter(prefix=prefix).first()
        if token is None:
            raise CommandError(f"No token with the prefix {prefix!r}.")
        try:
            domain.token_revoke(actor=None, token=token)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        self.stdout.write(f"Revoked niaga_{token.prefix}_… of {token.user.username}.")
