"""Every mapped table, imported once so the metadata (and Alembic) sees the whole schema."""
from beacon.access.models import (
    AccessEvent,
    AccessLogEntry,
    AccountLock,
    ApiToken,
    ChainHead,
    ForceSetting,
    LoginAttempt,
    RecordHistory,
    UserSession,
)
from beacon.cases.child_protection.models import (
    ChildCase,
    ChildCaseReview,
    ChildDecision,
    ChildReferral,
    LscbMeeting,
    PoliceProtection,
)
from beacon.cases.domestic_abuse.models import (
    MaracAction,
    MaracMeeting,
    MaracReferral,
    RiskForm,
)
from beacon.cases.incidents.models import (
    AddressWarning,
    ClosureFlag,
    ImportBatch,
    Incident,
    IncidentPerson,
    WorkItem,
)
from beacon.cases.missing_persons.models import (
    EnquiryAction,
    MissingReport,
    Review,
    RiskAssessment,
)
from beacon.db import Base
from beacon.history import track
from beacon.inspection.models import (
    CriterionAssessment,
    DevelopingPractice,
    Evidence,
    EvidenceCriterion,
    FrameworkGrade,
    IdentityReveal,
    Inspection,
    InspectionFramework,
    LiveGrade,
    MostSimilarGroup,
)
from beacon.org.models import (
    Division,
    Force,
    LocalAuthority,
    Neighbourhood,
    PartnerBody,
    Section,
    Staff,
    User,
    Ward,
)
from beacon.people.models import Location, Person

for _cls in (MissingReport, RiskAssessment, Review, EnquiryAction, Person, Location, User, ForceSetting,
             Inspection, Evidence, CriterionAssessment, FrameworkGrade, DevelopingPractice, IdentityReveal,
             Incident, WorkItem, AddressWarning, ClosureFlag, RiskForm, MaracReferral, MaracMeeting, MaracAction,
             ChildReferral, ChildCase, ChildDecision, PoliceProtection, LscbMeeting):
    track(_cls)

__all__ = [
    "LiveGrade",
    "AddressWarning", "ChildCase", "ChildCaseReview", "ChildDecision", "ChildReferral", "ClosureFlag", "ImportBatch", "Incident",
    "IncidentPerson", "LscbMeeting", "MaracAction", "MaracMeeting", "MaracReferral", "PoliceProtection", "RiskForm",
    "WorkItem",
    "CriterionAssessment", "DevelopingPractice", "Evidence", "EvidenceCriterion", "FrameworkGrade", "IdentityReveal",
    "Inspection", "InspectionFramework", "MostSimilarGroup",
    "AccessEvent", "AccessLogEntry", "AccountLock", "ApiToken", "Base", "ChainHead", "LoginAttempt", "UserSession",
    "Division", "EnquiryAction", "Force", "ForceSetting",
    "LocalAuthority", "Location", "MissingReport", "Neighbourhood", "PartnerBody", "Person",
    "RecordHistory", "Review", "RiskAssessment", "Section", "Staff", "User", "Ward",
]
