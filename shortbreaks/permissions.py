"""Who may do what, declared once.

Roles give the broad rights, through `rules` predicates on the person's roles in their active
council. Views (`RulePermissionRequiredMixin`), the API (`HasRulePermission`) and templates
(`{% has_perm %}` from `rules`) all ask the same named permission, so a button never shows for
an action the server refuses.

django-guardian object grants give the named exceptions (one record shared with one person). Two of
its pitfalls are closed here: `objects_granted()` never lets a model-wide permission widen to every
row (`accept_global_perms=False`), and it always scopes to the actor's active council.
"""

from __future__ import annotations

import rules
from django.contrib.auth.mixins import AccessMixin
from guardian.shortcuts import get_objects_for_user
from rest_framework.permissions import BasePermission

from shortbreaks.councils.models import Role


def has_role(*roles: str):
    """A predicate true when the person holds any of `roles` in their active council."""
    wanted = frozenset(roles)
    name = "has_role:" + ",".join(sorted(wanted))

    @rules.predicate(name=name)
    def predicate(user) -> bool:
        return bool(getattr(user, "active_roles", frozenset()) & wanted)

    return predicate


@rules.predicate
def is_council_member(user) -> bool:
    """True for the council's own people: a staff role in the active council. Provider staff
    (Role.PROVIDER) hold a membership too, but it never passes as staff."""
    return bool(getattr(user, "staff_roles", frozenset()))


@rules.predicate
def is_provider_staff(user) -> bool:
    """True for a provider's staff: the provider role in the active council. Which provider they
    act for is `providers.selectors.provider_for(actor)` (their active ProviderAccount)."""
    return Role.PROVIDER in getattr(user, "active_roles", frozenset())


@rules.predicate
def has_several_councils(user) -> bool:
    """Roles in more than one council (two roles in one council are not two councils)."""
    return bool(user.is_authenticated and len(user.council_ids) > 1)


is_commissioner = has_role(Role.COMMISSIONER)
is_contract_manager = has_role(Role.CONTRACT_MANAGER)
is_social_worker = has_role(Role.SOCIAL_WORKER)
is_team_manager = has_role(Role.TEAM_MANAGER)
is_finance_officer = has_role(Role.FINANCE_OFFICER)
is_auditor = has_role(Role.AUDITOR)
is_council_admin = has_role(Role.COUNCIL_ADMIN)

# The permissions of the application. Names are "<app>.<verb>_<thing>".
PERMISSIONS = {
    "councils.use_service": is_council_member,
    "councils.switch_council": has_several_councils,
    "councils.view_team": is_council_member,
    # The council's own settings (its accessibility contact and response time).
    "councils.manage_settings": is_council_admin,
    # Each person chooses which notifications they get by email.
    "notifications.choose_emails": is_council_member,
    "accesslog.view_accesslog": is_council_admin | is_team_manager,
    # Providers and their services: everyone reads; commissioners and contract managers keep them.
    "providers.view_provider": is_council_member,
    "providers.manage_provider": is_commissioner | is_contract_manager,
    # The contracts register: social workers do not need it; auditors read and change nothing.
    "contracts.view_contract": (
        is_commissioner
        | is_contract_manager
        | is_finance_officer
        | is_auditor
        | is_team_manager
        | is_council_admin
    ),
    "contracts.manage_contract": is_commissioner | is_contract_manager,
    "contracts.decide_extension": is_commissioner,
    # A joint contract: the invited council's commissioners accept or decline the invitation.
    "contracts.answer_invitation": is_commissioner,
    "contracts.view_spend": is_commissioner | is_contract_manager | is_finance_officer | is_auditor,
    "contracts.edit_spend": is_finance_officer,
    # Sufficiency: places on each contract lot against the demand on it, counts only.
    "contracts.view_sufficiency": is_commissioner | is_contract_manager,
    # Children's records: social workers and team managers keep them; auditors read them.
    "referrals.view_child": is_social_worker | is_team_manager | is_auditor,
    "referrals.manage_child": is_social_worker | is_team_manager,
    # A team manager authorises assessments and records the resource panel's decisions.
    "referrals.authorise_assessment": is_team_manager,
    "referrals.record_panel_decision": is_team_manager,
    # Case notes: the council's social workers and team managers read and write them; never
    # auditors, parent carers or providers.
    "referrals.view_casenote": is_social_worker | is_team_manager,
    "referrals.add_casenote": is_social_worker | is_team_manager,
    # Merging a duplicate child's record into the one kept.
    "referrals.merge_child": is_team_manager,
    # The DfE children in need census return: its XML and the page of failing rules.
    "referrals.make_census_return": is_team_manager | is_council_admin,
    # Counts, hours and costs without a child's name or identifiers.
    "referrals.view_aggregates": is_commissioner | is_team_manager | is_auditor,
    # Block places: commissioners and contract managers set how many places an award holds;
    # social workers and team managers book them for children (auditors read the bookings); the
    # calendar and the contract's utilisation show counts only, never a child.
    "bookings.manage_places": is_commissioner | is_contract_manager,
    "bookings.view_places": (
        is_commissioner | is_contract_manager | is_social_worker | is_team_manager | is_auditor
    ),
    "bookings.view_booking": is_social_worker | is_team_manager | is_auditor,
    "bookings.manage_booking": is_social_worker | is_team_manager,
    "bookings.view_utilisation": (
        is_commissioner | is_contract_manager | is_finance_officer | is_auditor | is_team_manager
    ),
    # Internal audit: auditors record reports and recommendations; commissioners and contract
    # managers own the management actions, so they update status and action and add evidence.
    "audits.view_audit": is_auditor | is_commissioner | is_contract_manager,
    "audits.manage_audit": is_auditor,
    "audits.update_recommendation": is_auditor | is_commissioner | is_contract_manager,
    # Evidence packs: auditors request and download them, invite external auditors by email and
    # share one pack with an invited external auditor until a date (a guardian grant); council
    # administrators see the packs, who has access and who was invited, and remove access.
    "audits.view_evidence_pack": is_auditor | is_council_admin,
    "audits.request_evidence_pack": is_auditor,
    "audits.grant_evidence_pack": is_auditor,
    "audits.revoke_evidence_pack_grant": is_auditor | is_council_admin,
    "audits.view_external_auditor": is_auditor | is_council_admin,
    "audits.invite_external_auditor": is_auditor,
    # Children's names in a pack: no role gives it; it is granted per person as a user or group
    # permission (EvidencePack Meta.permissions), which Django's ModelBackend answers.
    "audits.view_child_names": rules.always_deny,
    # The short breaks services statement: commissioners write and publish it; others read it.
    "statements.view_statement": (
        is_commissioner | is_contract_manager | is_team_manager | is_auditor | is_council_admin
    ),
    "statements.manage_statement": is_commissioner,
    "statements.publish_statement": is_commissioner,
    # Outcome surveys: council administrators and commissioners set them and send invitations;
    # social workers record a family's answers for them; the reports hold no child's name.
    "outcomes.manage_survey": is_council_admin | is_commissioner,
    "outcomes.record_response": is_social_worker | is_team_manager,
    "outcomes.view_report": (
        is_commissioner | is_contract_manager | is_council_admin | is_team_manager | is_auditor
    ),
    # Direct payments: social workers set up and review agreements, finance officers record the
    # payments made and the unspent money recovered; auditors read them.
    "directpayments.view_agreement": (
        is_finance_officer | is_social_worker | is_team_manager | is_auditor
    ),
    "directpayments.manage_agreement": is_social_worker | is_team_manager,
    "directpayments.review_agreement": is_social_worker | is_team_manager,
    "directpayments.record_payment": is_finance_officer,
    # Brokerage through the DPS: social workers raise a request from a line the panel approved
    # (with no identifiers in it); they and commissioning send it and record answers; commissioners
    # and contract managers score and award (a call-off contract) or spot purchase. Provider staff
    # read and answer only the requests sent to their own provider.
    "brokerage.view_request": (
        is_social_worker | is_team_manager | is_commissioner | is_contract_manager | is_auditor
    ),
    "brokerage.raise_request": is_social_worker | is_team_manager,
    "brokerage.manage_request": (
        is_social_worker | is_team_manager | is_commissioner | is_contract_manager
    ),
    "brokerage.award_request": is_commissioner | is_contract_manager,
    "brokerage.answer_request": is_provider_staff,
    # A brokered line gets its provider, rate and call-off contract from the award.
    "referrals.commission_line": is_commissioner | is_contract_manager,
    # Provider staff: their own provider's contracts, lots, vacancies, KPI returns and the
    # children they were awarded, through the provider pages and /api/v1/provider/ only.
    "providers.act_for_provider": is_provider_staff,
}

for _name, _predicate in PERMISSIONS.items():
    rules.add_perm(_name, _predicate)


def actor_can(actor, perm: str, obj=None) -> bool:
    return actor.has_perm(perm, obj)


class RulePermissionRequiredMixin(AccessMixin):
    """For class-based views: sign-in required, then the named permission (403 otherwise)."""

    permission_required: str = "councils.use_service"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not request.user.has_perm(self.permission_required):
            self.raise_exception = True
            return self.handle_no_permission()
        return super().dispatch(request, *args, **kwargs)


class IsCouncilMember(BasePermission):
    """The API's default: a signed-in person with a role in their active council."""

    def has_permission(self, request, view) -> bool:
        user = request.user
        return bool(user and user.is_authenticated and user.has_perm("councils.use_service"))


class HasRulePermission(IsCouncilMember):
    """Checks the view's `required_permission`, the same name the pages and templates use."""

    def has_permission(self, request, view) -> bool:
        perm = getattr(view, "required_permission", "councils.use_service")
        return super().has_permission(request, view) and request.user.has_perm(perm)


def objects_granted(actor, perm: str, queryset):
    """Rows of `queryset` that `actor` holds an object grant on, inside their active council.

    A model-wide permission (a group or user permission without an object) never counts here, so a
    person given `view_team` in the admin does not see every council's teams.
    """
    scoped = queryset.for_council(actor.active_council)
    return get_objects_for_user(
        actor, perm, klass=scoped, accept_global_perms=False, with_superuser=False
    )


def permission_required(perm: str):
    """For function views: sign-in required (redirect), then the permission (403)."""
    from django.contrib.auth.decorators import login_required
    from django.contrib.auth.decorators import permission_required as django_permission_required

    def decorator(view):
        return login_required(django_permission_required(perm, raise_exception=True)(view))

    return decorator


def require_perm(actor, perm: str, obj=None) -> None:
    """For services: refuse (403) unless the actor holds the named permission."""
    from django.core.exceptions import PermissionDenied

    if not actor.has_perm(perm, obj):
        raise PermissionDenied
