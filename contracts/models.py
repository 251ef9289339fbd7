"""DPS and memberships, contracts, lots, awards, extensions and approvals, monitoring, spend.

State lives in a `status` field whose changes are declared here as transitions
(shortbreaks.states, docs/decisions/0026); only the services in `contracts/services/` make them,
and each change writes an event row for the record's timeline.
"""

from __future__ import annotations

import inspect
from datetime import date

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex, OpClass
from django.db import models
from django.db.models.functions import Upper
from django.utils import timezone
from guardian.models import UserObjectPermissionBase

from providers.models import Provider, Service
from shortbreaks.councils.models import Council, CouncilOwned
from shortbreaks.documents.uploads import EXTENSIONS, server_file_name
from shortbreaks.events import TypedEvent, render_summary
from shortbreaks.states import FSMField, Rule, transition

MANAGE_CONTRACT = "contracts.manage_contract"
DECIDE_EXTENSION = "contracts.decide_extension"


def _provider_staff(record, user) -> bool:
    """The provider's staff: the permission is the person's, not the record's (another app's)."""
    return user.has_perm("providers.act_for_provider")


def _steps(model, field: str = "status") -> tuple[str, ...]:
    """The names of a model's declared status changes, in the order they are declared."""
    declared = {t.name for t in model._meta.get_field(field).get_all_transitions(model)}
    return tuple(
        sorted(
            declared, key=lambda name: inspect.unwrap(getattr(model, name)).__code__.co_firstlineno
        )
    )


# ----------------------------------------------------------------------------------------------
# Dynamic purchasing systems


class DPSStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    CLOSED = "closed", "Closed"


class DPS(CouncilOwned):
    title = models.CharField(max_length=200)
    categories = models.TextField(blank=True, help_text="Categories or lots, one a line.")
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=DPSStatus.choices, default=DPSStatus.ACTIVE)
    open_to_applications = models.BooleanField(default=True)

    class Meta:
        ordering = ["-start_date", "title"]
        verbose_name = "dynamic purchasing system"
        verbose_name_plural = "dynamic purchasing systems"

    def __str__(self) -> str:
        return self.title


class MembershipStatus(models.TextChoices):
    APPLIED = "applied", "Applied"
    UNDER_ASSESSMENT = "under_assessment", "Under assessment"
    APPROVED = "approved", "Approved"
    SUSPENDED = "suspended", "Suspended"
    EXITED = "exited", "Exited"


# The pre-approval checklist: field name -> label. All must be done before approval.
PRE_APPROVAL_CHECKS = {
    "check_registration": "Registration with CQC or Ofsted",
    "check_insurance": "Insurance",
    "check_safeguarding_policy": "Safeguarding policy",
    "check_dbs": "DBS checks",
    "check_financial_standing": "Financial standing",
}


# Approval waits for every pre-approval check (the service names those not done).
CHECKS_DONE = Rule(
    lambda membership: membership.checks_complete, "The pre-approval checks are not complete."
)


class DPSMembership(CouncilOwned):
    dps = models.ForeignKey(DPS, on_delete=models.CASCADE, related_name="memberships")
    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="dps_memberships")
    status = FSMField(
        max_length=20, choices=MembershipStatus.choices, default=MembershipStatus.APPLIED
    )
    status_date = models.DateField()
    check_registration = models.BooleanField(default=False)
    check_insurance = models.BooleanField(default=False)
    check_safeguarding_policy = models.BooleanField(default=False)
    check_dbs = models.BooleanField(default=False)
    check_financial_standing = models.BooleanField(default=False)

    class Meta:
        ordering = ["provider__name"]
        constraints = [
            models.UniqueConstraint(fields=["dps", "provider"], name="dps_membership_unique")
        ]

    def __str__(self) -> str:
        return f"{self.provider} on {self.dps}"

    @property
    def checks(self) -> list[tuple[str, str, bool]]:
        return [(name, label, getattr(self, name)) for name, label in PRE_APPROVAL_CHECKS.items()]

    @property
    def checks_complete(self) -> bool:
        return all(done for _, _, done in self.checks)

    @property
    def checks_missing(self) -> list[str]:
        return [label for _, label, done in self.checks if not done]

    # Applied -> under assessment -> approved <-> suspended; exited from any of them.

    @transition(
        field=status,
        source=[MembershipStatus.APPLIED],
        target=MembershipStatus.UNDER_ASSESSMENT,
        permission=MANAGE_CONTRACT,
        custom={
            "label": "Start assessment",
            "refused": "Only a membership that has applied can be moved to under assessment.",
        },
    )
    def start_assessment(self):
        pass

    @transition(
        field=status,
        source=[MembershipStatus.UNDER_ASSESSMENT],
        target=MembershipStatus.APPROVED,
        permission=MANAGE_CONTRACT,
        conditions=[CHECKS_DONE],
        custom={
            "label": "Approve",
            "refused": "Only a membership under assessment can be moved to approved.",
        },
    )
    def approve(self):
        pass

    @transition(
        field=status,
        source=[MembershipStatus.APPROVED],
        target=MembershipStatus.SUSPENDED,
        permission=MANAGE_CONTRACT,
        custom={
            "label": "Suspend",
            "refused": "Only an approved membership can be moved to suspended.",
        },
    )
    def suspend(self):
        pass

    @transition(
        field=status,
        source=[MembershipStatus.SUSPENDED],
        target=MembershipStatus.APPROVED,
        permission=MANAGE_CONTRACT,
        custom={
            "label": "Reinstate",
            "refused": "Only a suspended membership can be reinstated.",
        },
    )
    def reinstate(self):
        pass

    @transition(
        field=status,
        source=[
            MembershipStatus.APPLIED,
            MembershipStatus.UNDER_ASSESSMENT,
            MembershipStatus.APPROVED,
            MembershipStatus.SUSPENDED,
        ],
        target=MembershipStatus.EXITED,
        permission=MANAGE_CONTRACT,
        custom={"label": "Exit", "refused": "This membership has already exited."},
    )
    def exit(self):
        pass


# The declared membership changes, in order: each has its form on the page and its API action.
MEMBERSHIP_STEPS = _steps(DPSMembership)


class DPSMembershipEventKind(models.TextChoices):
    """The application, then each of the membership's declared changes by its step's name."""

    APPLIED = "applied", "Applied"
    START_ASSESSMENT = "start_assessment", "Assessment started"
    APPROVE = "approve", "Approved"
    SUSPEND = "suspend", "Suspended"
    REINSTATE = "reinstate", "Reinstated"
    EXIT = "exit", "Exited"


class DPSMembershipEvent(TypedEvent, CouncilOwned):
    """One dated change of a membership: the statuses it moved between and the reason are kept
    in their columns (the page, the API, the OCDS release and the evidence packs read them); the
    sentence is the kind's, followed by the reason."""

    membership = models.ForeignKey(DPSMembership, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=20, choices=DPSMembershipEventKind.choices)
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20)
    on = models.DateField()
    reason = models.TextField(blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)

    K = DPSMembershipEventKind
    SUMMARIES = {
        K.APPLIED: "Applied to join.",
        K.START_ASSESSMENT: "Moved to under assessment.",
        K.APPROVE: "Approved.",
        K.SUSPEND: "Suspended.",
        K.REINSTATE: "Reinstated.",
        K.EXIT: "Exited.",
    }
    del K

    class Meta:
        ordering = ["on", "id"]

    @property
    def summary(self) -> str:
        sentence = super().summary
        return f"{sentence} {self.reason}" if self.reason and self.reason != sentence else sentence


# ----------------------------------------------------------------------------------------------
# Contracts


class ContractKind(models.TextChoices):
    BLOCK = "block", "Block"
    FRAMEWORK = "framework", "Framework"
    LEAD_PROVIDER = "lead_provider", "Lead provider"
    DPS_CALL_OFF = "dps_call_off", "DPS call-off"
    SPOT_PURCHASE = "spot_purchase", "Spot purchase"
    SLA = "sla", "Service level agreement"


class ContractStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    ACTIVE = "active", "Active"
    EXTENDED = "extended", "Extended"
    EXPIRED = "expired", "Expired"
    TERMINATED = "terminated", "Terminated"


class ProcurementMethod(models.TextChoices):
    """How the supplier was chosen: the Open Contracting Data Standard's method codelist."""

    OPEN = "open", "Open: any interested supplier could bid"
    SELECTIVE = "selective", "Selective: only qualified suppliers were invited to bid"
    LIMITED = "limited", "Limited: the council approached suppliers of its choice"
    DIRECT = "direct", "Direct: awarded to one supplier without competition"


class Contract(CouncilOwned):
    """A contract. `council` is the lead council. Other councils take part only by consent: the
    lead invites them (`ContractParticipation`), and each reads it, never changes it, once its
    commissioner accepts."""

    reference = models.CharField(max_length=60)
    title = models.CharField(max_length=300)
    kind = models.CharField(max_length=20, choices=ContractKind.choices)
    status = FSMField(max_length=20, choices=ContractStatus.choices, default=ContractStatus.DRAFT)
    dps = models.ForeignKey(
        DPS, on_delete=models.PROTECT, null=True, blank=True, related_name="call_offs"
    )
    # A DPS call-off made by brokerage: the lot of the DPS's own contract it was called off.
    call_off_lot = models.ForeignKey(
        "Lot",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="call_off_contracts",
        help_text="The DPS lot this call-off was made under.",
    )
    procurement_route = models.CharField(max_length=200, blank=True)
    procurement_method = models.CharField(
        max_length=10, choices=ProcurementMethod.choices, blank=True
    )
    date_signed = models.DateField(
        null=True, blank=True, help_text="When the last party signed the contract."
    )
    start_date = models.DateField()
    end_date = models.DateField()
    max_extent_date = models.DateField(null=True, blank=True)
    annual_value = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    total_value = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    contract_manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="managed_contracts",
    )
    recommissioning_started_on = models.DateField(
        null=True, blank=True, help_text="When work to recommission this service began."
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["end_date", "reference"]
        constraints = [
            models.UniqueConstraint(fields=["council", "reference"], name="contract_unique_ref")
        ]
        indexes = [
            models.Index(fields=["council", "status", "end_date"]),
            models.Index(fields=["council", "end_date"]),
            # The search (shortbreaks.search): the title by trigram word similarity, the
            # reference by substring, ignoring case (so on UPPER, as `icontains` asks).
            GinIndex(fields=["title"], opclasses=["gin_trgm_ops"], name="contract_title_trgm"),
            GinIndex(
                OpClass(Upper("reference"), name="gin_trgm_ops"), name="contract_reference_trgm"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"

    def status_on(self, day: date) -> str:
        """The state on `day`: an active or extended contract whose end date has passed is
        expired, whether or not the daily job has yet recorded it. An approved extension has
        moved the end date, so it keeps the contract running until its new end."""
        if self.status in RUNNING_STATUSES and self.end_date < day:
            return ContractStatus.EXPIRED
        return self.status

    @property
    def current_status(self) -> str:
        """The state today, in the council's time zone: what pages and the API show."""
        return self.status_on(timezone.localdate())

    def get_current_status_display(self) -> str:
        return ContractStatus(self.current_status).label

    @transition(
        field=status,
        source=[ContractStatus.DRAFT],
        target=ContractStatus.ACTIVE,
        permission=MANAGE_CONTRACT,
        custom={"label": "Make active", "refused": "Only a draft contract can be made active."},
    )
    def activate(self):
        pass

    @transition(
        field=status,
        source=[ContractStatus.ACTIVE, ContractStatus.EXTENDED],
        target=ContractStatus.TERMINATED,
        permission=MANAGE_CONTRACT,
        custom={
            "label": "Terminate the contract",
            "refused": "Only an active or extended contract can be terminated.",
        },
    )
    def terminate(self):
        pass

    @transition(
        field=status,
        source=[ContractStatus.ACTIVE, ContractStatus.EXTENDED, ContractStatus.EXPIRED],
        target=ContractStatus.EXTENDED,
        permission=DECIDE_EXTENSION,
        custom={
            "label": "Extend",
            "refused": "Only an active, extended or expired contract can be extended.",
        },
    )
    def extend(self):
        """An approved extension moves the end date (contracts.services.extensions)."""

    @transition(
        field=status,
        source=[ContractStatus.ACTIVE, ContractStatus.EXTENDED],
        target=ContractStatus.EXPIRED,
        custom={"label": "Expire", "refused": "Only a running contract can expire."},
    )
    def expire(self):
        """The daily job records it once the end date has passed (no person makes it)."""


# Contracts that run until their end date; past it, they are expired (`Contract.status_on`,
# `expired_on` for querysets, `contracts.services.register.contracts_expire` to record it).
RUNNING_STATUSES = (ContractStatus.ACTIVE, ContractStatus.EXTENDED)


def expired_on(day: date) -> models.Q:
    """Contracts expired on `day`, recorded or not: the queryset form of `Contract.status_on`."""
    return models.Q(status=ContractStatus.EXPIRED) | models.Q(
        status__in=RUNNING_STATUSES, end_date__lt=day
    )


def status_on_q(status: str, day: date) -> models.Q:
    """Contracts whose state on `day` (`Contract.status_on`) is `status`."""
    if status == ContractStatus.EXPIRED:
        return expired_on(day)
    if status in RUNNING_STATUSES:
        return models.Q(status=status, end_date__gte=day)
    return models.Q(status=status)


class ContractUserObjectPermission(UserObjectPermissionBase):
    """Object grants on contracts (the named contract manager), through a direct foreign key."""

    content_object = models.ForeignKey(Contract, on_delete=models.CASCADE)

    class Meta(UserObjectPermissionBase.Meta):
        pass


class ParticipationStatus(models.TextChoices):
    INVITED = "invited", "Invited"
    ACCEPTED = "accepted", "Accepted"
    DECLINED = "declined", "Declined"
    WITHDRAWN = "withdrawn", "Withdrawn"


# The statuses in which the lead council has named a council: it is invited or takes part.
NAMED_STATUSES = (ParticipationStatus.INVITED, ParticipationStatus.ACCEPTED)
ANSWER_INVITATION = "contracts.answer_invitation"


def _on(moment) -> str:
    return f"{timezone.localtime(moment):%d/%m/%Y}"


def _not(status: str):
    return lambda participation: participation.status != status


# An invitation is answered once, and only while the lead council still stands by it; each
# refusal names the councils and the day, as the lead council and the invited one see them.
NOT_ACCEPTED = Rule(
    _not(ParticipationStatus.ACCEPTED),
    lambda p: f"{p.council.name} already accepted this invitation on {_on(p.responded_at)}.",
)
NOT_DECLINED = Rule(
    _not(ParticipationStatus.DECLINED),
    lambda p: (
        f"{p.council.name} already declined this invitation on {_on(p.responded_at)}. "
        f"{p.lead_council.name} can invite the council again."
    ),
)
NOT_WITHDRAWN = Rule(
    _not(ParticipationStatus.WITHDRAWN),
    lambda p: (
        f"{p.lead_council.name} withdrew this invitation on {_on(p.withdrawn_at)}, so it can no "
        "longer be answered."
    ),
)
OPEN_INVITATION = [NOT_ACCEPTED, NOT_DECLINED, NOT_WITHDRAWN]


class ContractParticipation(CouncilOwned):
    """Another council's part in a joint contract, by consent. `council` is the invited council,
    which reads the contract only while `status` is accepted.

    The invited council cannot read the contract before it accepts, so the row carries what it
    needs to decide: the lead council and the contract's reference and title (kept up to date
    while the invitation waits). `lead_council` is the contract's council, on the row itself, so
    the lead's access to its invitations needs no join back to the contract.
    """

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="participations")
    lead_council = models.ForeignKey(Council, on_delete=models.PROTECT, related_name="+")
    contract_reference = models.CharField(max_length=60)
    contract_title = models.CharField(max_length=300)
    status = FSMField(
        max_length=10, choices=ParticipationStatus.choices, default=ParticipationStatus.INVITED
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    invited_at = models.DateTimeField()
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    responded_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["invited_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["contract", "council"], name="contract_participation_unique"
            )
        ]
        indexes = [models.Index(fields=["council", "status"], name="participation_council_status")]

    def __str__(self) -> str:
        return f"{self.council} in {self.contract_reference}"

    @property
    def is_named(self) -> bool:
        return self.status in NAMED_STATUSES

    # Invited -> accepted or declined (by the invited council); invited or accepted -> withdrawn
    # (by the lead); declined or withdrawn -> invited again. Each is declared from every status,
    # so that a refusal says who did what, and when.

    @transition(
        field=status,
        source=ParticipationStatus.values,
        target=ParticipationStatus.INVITED,
        permission=MANAGE_CONTRACT,
        conditions=[
            Rule(
                _not(ParticipationStatus.INVITED),
                lambda p: f"{p.council.name} is already invited to this contract.",
            ),
            Rule(
                _not(ParticipationStatus.ACCEPTED),
                lambda p: f"{p.council.name} already takes part in this contract.",
            ),
        ],
        custom={"label": "Invite again"},
    )
    def invite_again(self):
        pass

    @transition(
        field=status,
        source=ParticipationStatus.values,
        target=ParticipationStatus.ACCEPTED,
        permission=ANSWER_INVITATION,
        conditions=OPEN_INVITATION,
        custom={"label": "Accept the invitation"},
    )
    def accept(self):
        pass

    @transition(
        field=status,
        source=ParticipationStatus.values,
        target=ParticipationStatus.DECLINED,
        permission=ANSWER_INVITATION,
        conditions=OPEN_INVITATION,
        custom={"label": "Decline the invitation"},
    )
    def decline(self):
        pass

    @transition(
        field=status,
        source=ParticipationStatus.values,
        target=ParticipationStatus.WITHDRAWN,
        permission=MANAGE_CONTRACT,
        conditions=[
            Rule(
                _not(ParticipationStatus.WITHDRAWN),
                lambda p: (
                    f"The invitation to {p.council.name} was already withdrawn on "
                    f"{_on(p.withdrawn_at)}."
                ),
            ),
            Rule(
                _not(ParticipationStatus.DECLINED),
                lambda p: (
                    f"{p.council.name} declined the invitation on {_on(p.responded_at)}: "
                    "there is nothing to withdraw."
                ),
            ),
        ],
        custom={"label": "Withdraw"},
    )
    def withdraw(self):
        pass


# The declared changes of a council's part, in order.
PARTICIPATION_STEPS = _steps(ContractParticipation)


class Lot(CouncilOwned):
    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="lots")
    number = models.PositiveSmallIntegerField()
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    services = models.ManyToManyField(Service, blank=True, related_name="lots")

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["contract", "number"], name="lot_unique_number")
        ]

    def __str__(self) -> str:
        return f"Lot {self.number}: {self.name}"


class Award(CouncilOwned):
    lot = models.ForeignKey(Lot, on_delete=models.CASCADE, related_name="awards")
    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="awards")
    rates = models.CharField(max_length=300, blank=True, help_text="e.g. £28.50 an hour")
    capacity = models.CharField(max_length=200, blank=True, help_text="e.g. 4 overnight beds")
    value = models.DecimalField(
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="The value awarded over the contract's whole term, before any extension.",
    )
    awarded_on = models.DateField(null=True, blank=True, help_text="The date of the award.")

    class Meta:
        ordering = ["lot__number", "provider__name"]


class ContractEventKind(models.TextChoices):
    CREATED = "created", "Recorded"
    CHANGED = "changed", "Details changed"
    STATUS = "status", "Status changed"
    MANAGER = "manager", "Contract manager set"
    LOT = "lot", "Lot added"
    AWARD = "award", "Lot awarded"
    DOCUMENT = "document", "Document added"
    EXTENSION = "extension", "Extension drafted or submitted"
    APPROVAL = "approval", "Extension approval recorded"
    DECISION = "decision", "Extension decided"
    MONITORING = "monitoring", "Monitoring recorded"
    KPI_RETURN = "kpi_return", "KPI return"
    PARTICIPANTS = "participants", "Participating councils"
    BLOCK_PLACES = "block_places", "Block places set"


class ContractEvent(TypedEvent, CouncilOwned):
    """One line of a contract's timeline. A kind with more than one sentence names the one it
    means in `params["step"]`; its summary is declared under `(kind, step)`."""

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    kind = models.CharField(max_length=40, choices=ContractEventKind.choices)

    K = ContractEventKind
    SUMMARIES = {
        K.CREATED: "Contract recorded.",
        K.CHANGED: "Details changed.",
        (K.STATUS, "active"): "Made active.",
        (K.STATUS, "terminated"): "Terminated on {on:%d/%m/%Y}: {reason}",
        (K.STATUS, "expired"): "Expired: the end date {end_date:%d/%m/%Y} passed.",
        K.MANAGER: "Contract manager: {manager}.",
        K.LOT: "{lot} added.",
        K.AWARD: "{lot} awarded to {provider}.",
        K.DOCUMENT: "Document “{document}” added.",
        (K.EXTENSION, "drafted"): (
            "Extension to {new_end_date:%d/%m/%Y} (£{added_value:,.2f}) drafted."
        ),
        (K.EXTENSION, "submitted"): "Extension submitted for approval.",
        K.APPROVAL: "{role}: {name} {decision} on {decided_on:%d/%m/%Y}.",
        (K.DECISION, "approved"): (
            "Extension approved by {decision_maker} on {decided_on:%d/%m/%Y}: end date "
            "{previous_end_date:%d/%m/%Y} → {end_date:%d/%m/%Y}, value "
            "+£{added_value:,.2f}."
        ),
        (K.DECISION, "approved_despite_refusal"): (
            "Extension approved by {decision_maker} on {decided_on:%d/%m/%Y}: end date "
            "{previous_end_date:%d/%m/%Y} → {end_date:%d/%m/%Y}, value "
            "+£{added_value:,.2f}. Decided despite the refused CPR exemption."
        ),
        (K.DECISION, "refused"): "Extension refused by {decision_maker} on {decided_on:%d/%m/%Y}.",
        K.MONITORING: "{record} on {held_on:%d/%m/%Y} recorded.",
        (K.KPI_RETURN, "requested"): "{label} asked of {provider}, due {due_on:%d/%m/%Y}.",
        (K.KPI_RETURN, "submitted"): "{label} submitted by {provider}.",
        (K.KPI_RETURN, "submitted_again"): "{label} submitted again by {provider}.",
        (K.KPI_RETURN, "accepted"): "{label} accepted.",
        (K.KPI_RETURN, "queried"): "{label} queried: {reason}",
        (K.PARTICIPANTS, "invited"): "Invited {council} to take part.",
        (K.PARTICIPANTS, "withdrew_member"): "Withdrew {council} from the contract.",
        (K.PARTICIPANTS, "withdrew_invitation"): "Withdrew the invitation to {council}.",
        (K.PARTICIPANTS, "accepted"): "{council} accepted the invitation to take part.",
        (K.PARTICIPANTS, "declined"): "{council} declined the invitation to take part.",
        (K.BLOCK_PLACES, "set"): "Places for {provider} on {lot} set at {capacity}.",
        (K.BLOCK_PLACES, "changed"): (
            "Places for {provider} on {lot} changed from {before} to {capacity}."
        ),
    }
    del K

    class Meta:
        ordering = ["at", "id"]

    @property
    def summary(self) -> str:
        params = self.params or {}
        template = self.SUMMARIES.get((self.kind, params.get("step"))) or self.SUMMARIES.get(
            self.kind
        )
        return render_summary(template, params)


def _contract_document_path(instance: ContractDocument, filename: str) -> str:
    """The uploaded name is never used: the server makes the stored one."""
    return server_file_name(
        council_id=instance.council_id,
        extension=EXTENSIONS[instance.content_type],
        folder="contracts",
    )


class ContractDocument(CouncilOwned):
    """The signed contract, a variation notice, a decision record: kept with the contract."""

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(max_length=200)
    file = models.FileField(upload_to=_contract_document_path, max_length=200)
    original_name = models.CharField(max_length=200, help_text="Shown only; never used to store.")
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "id"]
        indexes = [models.Index(fields=["council", "contract"])]

    def __str__(self) -> str:
        return self.title


# ----------------------------------------------------------------------------------------------
# Extensions by variation


class LegalBasis(models.TextChoices):
    PCR_MODIFICATION = (
        "pcr_modification",
        "Modification under the Public Contracts Regulations 2015",
    )
    DPS_EXTENSION = "dps_extension", "Extension under the DPS rules"
    CPR_EXEMPTION = "cpr_exemption", "Exemption from the Contract Procedure Rules"


class ExtensionStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"
    APPROVED = "approved", "Approved"
    REFUSED = "refused", "Refused"


class ApprovalRole(models.TextChoices):
    GOVERNANCE = "governance", "Governance"
    FINANCE = "finance", "Finance"
    LEGAL = "legal", "Legal"
    PROCUREMENT = "procurement", "Procurement"


# Without these approvals the decision maker cannot approve (unless escalated; see services).
REQUIRED_APPROVALS = (ApprovalRole.FINANCE, ApprovalRole.LEGAL, ApprovalRole.PROCUREMENT)


class Decision(models.TextChoices):
    APPROVE = "approve", "Approve"
    REFUSE = "refuse", "Refuse"


class Extension(CouncilOwned):
    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="extensions")
    status = FSMField(max_length=20, choices=ExtensionStatus.choices, default=ExtensionStatus.DRAFT)
    new_end_date = models.DateField()
    added_value = models.DecimalField(max_digits=12, decimal_places=2)
    rationale = models.TextField()
    alternatives_considered = models.TextField(blank=True)
    risks = models.TextField(blank=True)
    legal_basis = models.CharField(max_length=30, choices=LegalBasis.choices)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    # The decision.
    decision = models.CharField(max_length=10, choices=Decision.choices, blank=True)
    decision_maker = models.CharField(max_length=200, blank=True)
    decided_on = models.DateField(null=True, blank=True)
    key_decision = models.BooleanField(default=False)
    decided_despite_refusal = models.BooleanField(
        default=False,
        help_text="The decision maker decided despite a refused CPR exemption that was escalated.",
    )
    decision_note = models.TextField(blank=True)
    # What the contract was before this extension moved it.
    previous_end_date = models.DateField(null=True, blank=True)
    previous_total_value = models.DecimalField(
        max_digits=12, decimal_places=2, null=True, blank=True
    )

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"Extension of {self.contract.reference} to {self.new_end_date:%d/%m/%Y}"

    def current_approvals(self) -> dict[str, ExtensionApproval]:
        """The latest answer from each role."""
        latest: dict[str, ExtensionApproval] = {}
        for approval in sorted(self.approvals.all(), key=lambda a: (a.decided_on, a.pk)):
            latest[approval.role] = approval
        return latest

    def blockers(self) -> list[str]:
        """Why the decision maker cannot yet approve, in words; empty when they can."""
        latest = self.current_approvals()
        return [
            f"{ApprovalRole(role).label} has not approved"
            + (" (refused)" if role in latest else "")
            for role in REQUIRED_APPROVALS
            if role not in latest or latest[role].decision != Decision.APPROVE
        ]

    @property
    def escalatable(self) -> bool:
        """A CPR exemption that was refused: the decision maker may decide despite it."""
        return self.legal_basis == LegalBasis.CPR_EXEMPTION and any(
            a.decision == Decision.REFUSE for a in self.current_approvals().values()
        )

    @transition(
        field=status,
        source=[ExtensionStatus.DRAFT],
        target=ExtensionStatus.SUBMITTED,
        permission=MANAGE_CONTRACT,
        custom={
            "label": "Submit for approval",
            "refused": "This extension is no longer a draft; only a draft can be submitted.",
        },
    )
    def submit(self):
        pass

    @transition(
        field=status,
        source=[ExtensionStatus.SUBMITTED],
        target=ExtensionStatus.SUBMITTED,
        permission=MANAGE_CONTRACT,
        custom={
            "label": "Record an approval",
            "refused": "Approvals are recorded once the extension is submitted.",
        },
    )
    def record_approval(self):
        """Governance, finance, legal or procurement answered: the extension stays submitted."""

    @transition(
        field=status,
        source=[ExtensionStatus.SUBMITTED],
        target=ExtensionStatus.APPROVED,
        permission=DECIDE_EXTENSION,
        conditions=[
            Rule(
                lambda extension: not extension.blockers() or extension.escalatable,
                "The extension cannot be approved yet: finance, legal and procurement must "
                "each approve it first.",
            )
        ],
        custom={
            "label": "Approve the extension",
            "refused": "This extension is not waiting for a decision; only a submitted "
            "extension can be decided.",
        },
    )
    def approve(self):
        pass

    @transition(
        field=status,
        source=[ExtensionStatus.SUBMITTED],
        target=ExtensionStatus.REFUSED,
        permission=DECIDE_EXTENSION,
        custom={
            "label": "Refuse the extension",
            "refused": "This extension is not waiting for a decision; only a submitted "
            "extension can be decided.",
        },
    )
    def refuse(self):
        pass


class ExtensionApproval(CouncilOwned):
    extension = models.ForeignKey(Extension, on_delete=models.CASCADE, related_name="approvals")
    role = models.CharField(max_length=20, choices=ApprovalRole.choices)
    name = models.CharField(max_length=200)
    decision = models.CharField(max_length=10, choices=Decision.choices)
    decided_on = models.DateField()
    comment = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["decided_on", "id"]


# ----------------------------------------------------------------------------------------------
# Expiry reminders


class ExpiryReminder(CouncilOwned):
    """One reminder per contract, threshold and end date: sent once however often the job runs.

    The end date is part of the key, so an extension that moves it arms the reminders again.
    """

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="reminders")
    months_before = models.PositiveSmallIntegerField()
    end_date = models.DateField()
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    sent_at = models.DateTimeField(auto_now_add=True)
    dismissed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-sent_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["contract", "months_before", "end_date"], name="reminder_once"
            )
        ]


# ----------------------------------------------------------------------------------------------
# Monitoring and spend


class MonitoringKind(models.TextChoices):
    QA_VISIT = "qa_visit", "Quality assurance visit"
    PERFORMANCE_MEETING = "performance_meeting", "Performance meeting"
    KPI_RETURN = "kpi_return", "KPI return"


class KPIReturnStatus(models.TextChoices):
    DUE = "due", "Due"
    SUBMITTED = "submitted", "Submitted"
    QUERIED = "queried", "Queried"
    ACCEPTED = "accepted", "Accepted"


class MonitoringRecord(CouncilOwned):
    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="monitoring")
    kind = models.CharField(max_length=30, choices=MonitoringKind.choices)
    held_on = models.DateField()
    period = models.CharField(max_length=100, blank=True, help_text="e.g. Quarter 2 2024/25")
    summary = models.TextField()
    sessions_delivered = models.PositiveIntegerField(null=True, blank=True)
    sessions_target = models.PositiveIntegerField(null=True, blank=True)
    hours_not_delivered = models.DecimalField(max_digits=9, decimal_places=2, null=True, blank=True)
    reason_not_delivered = models.TextField(blank=True)
    provider_response = models.TextField(blank=True)
    sanction_considered = models.TextField(blank=True)
    sanction_outcome = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    # A KPI return the provider submits itself (contracts.services.kpi): the council asks the
    # provider for a period's figures, the provider submits them, the contract manager accepts
    # them or queries them with a reason, and the provider answers a query by submitting again.
    # Records the contract manager writes up themselves have no provider and no status.
    provider = models.ForeignKey(
        Provider, on_delete=models.PROTECT, null=True, blank=True, related_name="kpi_returns"
    )
    kpi_status = FSMField(
        "KPI return status", max_length=20, choices=KPIReturnStatus.choices, blank=True
    )
    due_on = models.DateField(null=True, blank=True, help_text="When the provider owes it.")
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    query_reason = models.TextField(blank=True, help_text="Why the figures were queried.")
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-held_on", "-id"]
        indexes = [
            models.Index(fields=["council", "provider", "kpi_status"], name="kpi_return_provider")
        ]

    # A provider's KPI return: due -> submitted -> accepted, or queried and submitted again.

    @transition(
        field=kpi_status,
        source=[KPIReturnStatus.DUE, KPIReturnStatus.QUERIED],
        target=KPIReturnStatus.SUBMITTED,
        permission=_provider_staff,
        custom={
            "label": "Submit the return",
            "refused": "This return has been submitted or accepted: only a return that is due, "
            "or queried by the council, can be submitted.",
        },
    )
    def submit(self):
        pass

    @transition(
        field=kpi_status,
        source=[KPIReturnStatus.SUBMITTED],
        target=KPIReturnStatus.ACCEPTED,
        permission=MANAGE_CONTRACT,
        custom={
            "label": "Accept the return",
            "refused": "Only a submitted return can be accepted or queried.",
        },
    )
    def accept(self):
        pass

    @transition(
        field=kpi_status,
        source=[KPIReturnStatus.SUBMITTED],
        target=KPIReturnStatus.QUERIED,
        permission=MANAGE_CONTRACT,
        custom={
            "label": "Query the return",
            "refused": "Only a submitted return can be accepted or queried.",
        },
    )
    def query(self):
        pass


class PackageType(models.TextChoices):
    COMMISSIONED = "commissioned", "Commissioned"
    SPOT_PURCHASED = "spot_purchased", "Spot purchased"
    HOME_CARE = "home_care", "Home care"
    DIRECT_PAYMENTS = "direct_payments", "Direct payments"


class SpendLine(CouncilOwned):
    """Budget and outturn for one financial year (April to March) and package type."""

    financial_year = models.PositiveSmallIntegerField(
        help_text="The year it starts: 2024 is 2024/25."
    )
    package_type = models.CharField(max_length=20, choices=PackageType.choices)
    budget = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    outturn = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)

    class Meta:
        ordering = ["financial_year", "package_type"]
        constraints = [
            models.UniqueConstraint(
                fields=["council", "financial_year", "package_type"], name="spend_line_unique"
            )
        ]


class ContractSpend(CouncilOwned):
    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="spend")
    financial_year = models.PositiveSmallIntegerField()
    amount = models.DecimalField(max_digits=12, decimal_places=2)

    class Meta:
        ordering = ["financial_year"]
        constraints = [
            models.UniqueConstraint(
                fields=["contract", "financial_year"], name="contract_spend_unique"
            )
        ]
