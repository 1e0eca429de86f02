"""Kithkin's domain model, one module per aggregate (DESIGN.md §2)."""

from kithkin.models.accounts import Attempt, User
from kithkin.models.backups import Backup
from kithkin.models.changes import Change, ChangeCursor, ChangePerson
from kithkin.models.dav import AppPassword, CardEtag, CardEtagsAsOf, DavCard, DavGroup
from kithkin.models.dav_files import DavFile
from kithkin.models.digest import DigestPreference
from kithkin.models.duplicates import DismissedDuplicate, DuplicateCandidate, DuplicateScan
from kithkin.models.events import Attendance, Event
from kithkin.models.feeds import FeedToken
from kithkin.models.followups import FollowUp
from kithkin.models.imports import ImportUpload
from kithkin.models.insights import InteractionDay, KeptSpan
from kithkin.models.interactions import Interaction, InteractionParticipant, InteractionTally
from kithkin.models.ledger import ValueExchange
from kithkin.models.mentorships import Mentorship
from kithkin.models.messages import MessageTemplate
from kithkin.models.mfa import CodeFailure, RecoveryCode, RecoveryCodes
from kithkin.models.mfa_sso import OidcIdentity
from kithkin.models.milestones import Milestone
from kithkin.models.networks import Circle, Invitation, Membership, Network, Role
from kithkin.models.opportunities import Opportunity, OpportunityShare
from kithkin.models.organizations import Affiliation, Organization
from kithkin.models.people import ContactPoint, Person
from kithkin.models.photos import Photo
from kithkin.models.quick_log import QuickLog
from kithkin.models.relationships import Relationship
from kithkin.models.strength import Strength, StrengthSettings
from kithkin.models.sync_accounts import SyncAccount
from kithkin.models.synced_events import SyncedEvent
from kithkin.models.tags import Tag
from kithkin.models.tokens import AccessToken, Scope
from kithkin.models.trash import TrashedItem
from kithkin.models.undo import UndoableAction
from kithkin.models.webhooks import WebhookDelivery, WebhookSubscription
from kithkin.models.worker import Claim, WorkerBeat

__all__ = [
    "AccessToken",
    "Affiliation",
    "AppPassword",
    "Attempt",
    "Attendance",
    "Backup",
    "CardEtag",
    "CardEtagsAsOf",
    "Change",
    "ChangeCursor",
    "ChangePerson",
    "Circle",
    "Claim",
    "CodeFailure",
    "ContactPoint",
    "DavCard",
    "DavFile",
    "DavGroup",
    "DigestPreference",
    "DismissedDuplicate",
    "DuplicateCandidate",
    "DuplicateScan",
    "Event",
    "FeedToken",
    "FollowUp",
    "ImportUpload",
    "Interaction",
    "InteractionDay",
    "InteractionParticipant",
    "InteractionTally",
    "Invitation",
    "KeptSpan",
    "Membership",
    "Mentorship",
    "MessageTemplate",
    "Milestone",
    "Network",
    "OidcIdentity",
    "Opportunity",
    "OpportunityShare",
    "Organization",
    "Person",
    "Photo",
    "QuickLog",
    "RecoveryCode",
    "RecoveryCodes",
    "Relationship",
    "Role",
    "Scope",
    "Strength",
    "StrengthSettings",
    "SyncAccount",
    "SyncedEvent",
    "Tag",
    "TrashedItem",
    "UndoableAction",
    "User",
    "ValueExchange",
    "WebhookDelivery",
    "WebhookSubscription",
    "WorkerBeat",
]
