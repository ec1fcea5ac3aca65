"""The models of OPOP programs. Every row belongs to one province space
(`province`) and is read through a django-scopes manager; every write goes
through `niaga.programs.domain`."""

from niaga.programs.models.indicators import (  # noqa: F401
    Indicator,
    IndicatorFigure,
    IndicatorKey,
    IndicatorSource,
    Target,
)
from niaga.programs.models.program import (  # noqa: F401
    CurriculumModule,
    DeliveryMode,
    Program,
    ProgramStatus,
    SupportAspect,
    TeamDuty,
    TeamMember,
)
from niaga.programs.models.support import (  # noqa: F401
    Assistance,
    FundSource,
    Grant,
    SupportEvidence,
)
from niaga.programs.models.training import (  # noqa: F401
    Attendance,
    Certificate,
    Cohort,
    CohortStatus,
    Course,
    Enrolment,
    EnrolmentStatus,
    TrainingSession,
)
