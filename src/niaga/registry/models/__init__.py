"""The OPOP registry: pesantren, cooperatives, people, their businesses and products.

Every row belongs to one province space (`province`) and is read through a
django-scopes manager: outside a province scope a query refuses to run.
Models hold fields, constraints and cheap properties; every write goes through
`niaga.registry.domain`.
"""

from niaga.registry.models.common import Pillar
from niaga.registry.models.imports import ImportIssue, ImportJob, ImportKey  # noqa: F401
from niaga.registry.models.people import (
    Consent,
    ConsentGiver,
    ConsentPurpose,
    Enterprise,
    Gender,
    Person,
    PersonRole,
)
from niaga.registry.models.pesantren import (
    Cooperative,
    LegalForm,
    Pesantren,
    PesantrenAccess,
    PesantrenStatus,
    Typology,
)
from niaga.registry.models.products import (
    Category,
    CurationEvent,
    CurationLevel,
    CurationStatus,
    HalalScheme,
    LegalDocument,
    LegalKind,
    Product,
    ProductPhoto,
)

__all__ = [
    "Category",
    "Consent",
    "ConsentGiver",
    "ConsentPurpose",
    "Cooperative",
    "CurationEvent",
    "CurationLevel",
    "CurationStatus",
    "Enterprise",
    "Gender",
    "HalalScheme",
    "LegalDocument",
    "LegalForm",
    "LegalKind",
    "Person",
    "PersonRole",
    "Pesantren",
    "PesantrenAccess",
    "PesantrenStatus",
    "Pillar",
    "Product",
    "ProductPhoto",
    "Typology",
]
