"""Permission predicates (django-rules) for province spaces.

Object permissions take a Province. Superusers pass every check through
Django's own superuser rule; national viewers may view every province but
change nothing.
"""

import rules

from niaga.accounts.models import Role
from niaga.accounts.queries import roles_by_province


@rules.predicate
def is_member(user, province) -> bool:
    return province is not None and province.code in roles_by_province(user)


def has_role(*roles: str):
    wanted = frozenset(roles)

    @rules.predicate(name=f"has_role({', '.join(sorted(wanted))})")
    def predicate(user, province) -> bool:
        if province is None:
            return False
        return bool(roles_by_province(user).get(province.code, frozenset()) & wanted)

    return predicate


@rules.predicate
def is_national_viewer(user) -> bool:
    return bool(getattr(user, "is_national_viewer", False)) and user.is_active


is_province_admin = has_role(Role.PROVINCE_ADMIN)

rules.add_perm("regions.view_province", is_member | is_national_viewer)
rules.add_perm("accounts.manage_team", is_province_admin)
# The data protection officer checks who revealed, exported or erased personal data.
rules.add_perm("audit.view_log", is_province_admin | has_role(Role.PRIVACY_OFFICER))
