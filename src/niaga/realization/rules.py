"""Who may do what with the follow-up of a mission's commitments.

Object permissions take a Mission (the deal's mission) unless said otherwise.
The organising province's team follows its commitments up; a verifier (the
central bank's provincial office, with the `verifier` role in the organising
or the host province) only gives findings, and whoever records realization
cannot verify it: the two duties stay apart.
"""

import rules

from niaga.accounts.models import Role
from niaga.accounts.queries import roles_by_province
from niaga.accounts.rules import has_role, is_national_viewer
from niaga.missions.rules import in_organiser_or_host_team

FOLLOW_UP_ROLES = frozenset({Role.PROVINCE_ADMIN, Role.MISSION_MANAGER, Role.DESK_OFFICER})
MANAGER_ROLES = frozenset({Role.PROVINCE_ADMIN, Role.MISSION_MANAGER})


@rules.predicate
def follows_up(user, mission) -> bool:
    if mission is None:
        return False
    return bool(roles_by_province(user).get(mission.organiser_id, frozenset()) & FOLLOW_UP_ROLES)


@rules.predicate
def manages_follow_up(user, mission) -> bool:
    if mission is None:
        return False
    return bool(roles_by_province(user).get(mission.organiser_id, frozenset()) & MANAGER_ROLES)


@rules.predicate
def verifies(user, mission) -> bool:
    if mission is None:
        return False
    roles = roles_by_province(user)
    return Role.VERIFIER in roles.get(mission.organiser_id, frozenset()) or (
        Role.VERIFIER in roles.get(mission.host_id, frozenset())
    )


rules.add_perm("realization.view_realization", in_organiser_or_host_team | is_national_viewer)
rules.add_perm("realization.record_progress", follows_up)
rules.add_perm("realization.manage_follow_up", manages_follow_up)
rules.add_perm("realization.verify", verifies & ~follows_up)

# Province-wide pages take a Province.
_team = tuple(role for role in Role.values if role != Role.PESANTREN)
rules.add_perm("realization.view_dashboard", has_role(*_team) | is_national_viewer)
rules.add_perm("realization.view_followup", has_role(*FOLLOW_UP_ROLES, Role.VERIFIER))
rules.add_perm("realization.configure", has_role(*MANAGER_ROLES))
