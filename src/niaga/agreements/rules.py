"""Who may see and change agreements.

Province permissions take a Province; object permissions take an Agreement.
A province's team sees the agreements its province recorded or is party to;
the recording province's admins and mission managers change them; action
items may be updated by the team of any province party to the agreement.
"""

import rules

from niaga.accounts.models import Role
from niaga.accounts.queries import roles_by_province
from niaga.accounts.rules import has_role, is_national_viewer

TEAM = frozenset(role for role in Role.values if role != Role.PESANTREN)
MANAGERS = frozenset({Role.PROVINCE_ADMIN, Role.MISSION_MANAGER})


def _party_provinces(agreement) -> set[str]:
    provinces = {agreement.owner_id}
    provinces.update(p.province_id for p in agreement.parties.all() if p.province_id)
    return provinces


@rules.predicate
def in_party_team(user, agreement) -> bool:
    if agreement is None:
        return False
    roles = roles_by_province(user)
    return any(roles.get(code, frozenset()) & TEAM for code in _party_provinces(agreement))


@rules.predicate
def manages_for_party(user, agreement) -> bool:
    if agreement is None:
        return False
    roles = roles_by_province(user)
    return any(roles.get(code, frozenset()) & MANAGERS for code in _party_provinces(agreement))


@rules.predicate
def manages_for_owner(user, agreement) -> bool:
    if agreement is None:
        return False
    return bool(roles_by_province(user).get(agreement.owner_id, frozenset()) & MANAGERS)


rules.add_perm("agreements.list_agreements", has_role(*TEAM) | is_national_viewer)
rules.add_perm("agreements.create_agreement", has_role(*MANAGERS))
rules.add_perm("agreements.view_agreement", in_party_team | is_national_viewer)
rules.add_perm("agreements.change_agreement", manages_for_owner)
rules.add_perm("agreements.update_action_item", manages_for_party)
