"""Permission predicates for missions. Object permissions take a Mission.

The organising province's team runs a mission; the host province's team and
national viewers may look at it.
"""

import rules

from niaga.accounts.models import Role
from niaga.accounts.queries import roles_by_province
from niaga.accounts.rules import has_role, is_national_viewer


def _organiser_role(*wanted: str):
    wanted_set = frozenset(wanted)

    @rules.predicate(name=f"organiser_role({', '.join(sorted(wanted_set))})")
    def predicate(user, mission) -> bool:
        if mission is None:
            return False
        return bool(roles_by_province(user).get(mission.organiser_id, frozenset()) & wanted_set)

    return predicate


@rules.predicate
def in_organiser_or_host_team(user, mission) -> bool:
    if mission is None:
        return False
    roles = roles_by_province(user)
    # A pesantren's own login belongs to the registry, not to the province team.
    team = frozenset(Role.values) - {Role.PESANTREN}
    return bool(
        roles.get(mission.organiser_id, frozenset()) & team
        or roles.get(mission.host_id, frozenset()) & team
    )


can_manage = _organiser_role(Role.PROVINCE_ADMIN, Role.MISSION_MANAGER)
can_record = _organiser_role(Role.PROVINCE_ADMIN, Role.MISSION_MANAGER, Role.DESK_OFFICER)

rules.add_perm("missions.view_mission", in_organiser_or_host_team | is_national_viewer)
rules.add_perm("missions.manage_mission", can_manage)
rules.add_perm("missions.record_deal", can_record)


# The province's mission list takes a Province: its team and national viewers.
rules.add_perm(
    "missions.list_missions",
    has_role(*(role for role in Role.values if role != Role.PESANTREN)) | is_national_viewer,
)

# Creating takes a Province (the organiser), not a Mission.
rules.add_perm("missions.create_mission", has_role(Role.PROVINCE_ADMIN, Role.MISSION_MANAGER))
