"""Permission predicates for OPOP programs. Object permissions take a Province.

The province team (every role but a pesantren account) and national viewers
read programs, training and dashboards; program officers and admins run
training, record support and keep indicators; only a province admin creates
or replicates a program or revokes a certificate. The national comparison
of programs is open to every team member and national viewer: it shows
figures, no personal data.
"""

import rules

from niaga.accounts.models import Role
from niaga.accounts.queries import roles_by_province
from niaga.accounts.rules import has_role, is_national_viewer
from niaga.registry.rules import is_team_member

is_admin = has_role(Role.PROVINCE_ADMIN)
runs_programs = has_role(Role.PROVINCE_ADMIN, Role.PROGRAM_OFFICER)


@rules.predicate
def is_on_any_team(user) -> bool:
    return any(roles - {Role.PESANTREN} for roles in roles_by_province(user).values())


rules.add_perm("programs.view_program", is_team_member | is_national_viewer)
rules.add_perm("programs.manage_program", is_admin)
rules.add_perm("programs.replicate_program", is_admin)
rules.add_perm("programs.run_training", runs_programs)
rules.add_perm("programs.record_support", runs_programs)
rules.add_perm("programs.manage_indicators", runs_programs)
rules.add_perm("programs.revoke_certificate", is_admin)
rules.add_perm("programs.view_national_comparison", is_on_any_team | is_national_viewer)
