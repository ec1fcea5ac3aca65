"""Permission predicates for the OPOP registry. Object permissions take a Province.

The province team (every role but a pesantren account) and national viewers
read the registry; registry officers and admins change it; curators and admins
curate; only the data protection officer reveals a NIK or exports or erases a
person's data. A pesantren account sees its own pesantren through
`niaga.registry.queries.pesantren_of_account`, not through these rules.
"""

import rules

from niaga.accounts.models import Role
from niaga.accounts.rules import has_role, is_national_viewer

TEAM_ROLES = tuple(role for role in Role.values if role != Role.PESANTREN)

is_team_member = has_role(*TEAM_ROLES)
can_manage = has_role(Role.PROVINCE_ADMIN, Role.REGISTRY_OFFICER)
can_curate = has_role(Role.PROVINCE_ADMIN, Role.CURATOR)
is_privacy_officer = has_role(Role.PRIVACY_OFFICER)
is_pesantren_account = has_role(Role.PESANTREN)

rules.add_perm("registry.view_registry", is_team_member | is_national_viewer)
rules.add_perm("registry.manage_registry", can_manage)
rules.add_perm("registry.curate_product", can_curate)
rules.add_perm("registry.reveal_nik", is_privacy_officer)
rules.add_perm("registry.manage_personal_data", is_privacy_officer)
rules.add_perm("registry.is_pesantren_account", is_pesantren_account)
# Officers who answer buyers' inquiries for the whole province.
rules.add_perm(
    "catalog.answer_inquiry", has_role(Role.PROVINCE_ADMIN, Role.REGISTRY_OFFICER, Role.CURATOR)
)
