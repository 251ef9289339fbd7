"""DPS and memberships, contracts, lots, awards, extensions and approvals, monitoring, spend.

State lives in a `status` field that only the services in `contracts/services.py` change; each
change writes an event row for the record's timeline.
"""

from __future__ import annotations

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


class DPSMembership(CouncilOwned):
    dps = models.ForeignKey(DPS, on_delete=models.CASCADE, related_name="memberships")
    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="dps_memberships")
    status = models.CharField(
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


class DPSMembershipEvent(CouncilOwned):
    membership = models.ForeignKey(DPSMembership, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20)
    on = models.DateField()
    reason = models.TextField(blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["on", "id"]


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
    status = models.CharField(
        max_length=20, choices=ContractStatus.choices, default=ContractStatus.DRAFT
    )
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


# Contracts that run until their end date; past it, they are expired (`Contract.status_on`,
# `expired_on` for querysets, `contracts.services.contracts_expire` to record it).
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
    status = models.CharField(
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


class ContractEvent(CouncilOwned):
    """One line of a contract's timeline."""

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    kind = models.CharField(max_length=40)
    summary = models.TextField()

    class Meta:
        ordering = ["at", "id"]


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
    status = models.CharField(
        max_length=20, choices=ExtensionStatus.choices, default=ExtensionStatus.DRAFT
    )
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
    # A KPI return the provider submits itself (contracts.kpi_services): the council asks the
    # provider for a period's figures, the provider submits them, the contract manager accepts
    # them or queries them with a reason, and the provider answers a query by submitting again.
    # Records the contract manager writes up themselves have no provider and no status.
    provider = models.ForeignKey(
        Provider, on_delete=models.PROTECT, null=True, blank=True, related_name="kpi_returns"
    )
    kpi_status = models.CharField(
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
