"""Children, referrals, assessments, panels, packages, reviews, grants and the tier journey.

A child belongs to one council, and so does everything recorded about them. A child's tier and
every status here change only through the services in `referrals/services/`, each of which
writes a dated row for the child's timeline.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex, OpClass
from django.core.serializers.json import DjangoJSONEncoder
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Upper

from contracts.models import Lot
from providers.models import Provider, Ratio, Service
from referrals.census_codes import ClosureReason, Ethnicity, Sex, UPNUnknown
from referrals.nhs import validate_nhs_number
from shortbreaks.councils.models import CouncilOwned
from shortbreaks.documents.uploads import EXTENSIONS, server_file_name
from shortbreaks.events import TypedEvent, render_summary
from shortbreaks.states import FSMField, Rule, transition

WEEKS_PER_YEAR = Decimal(52)
MONEY = Decimal("0.01")


def _actor_fk(**kwargs):
    kwargs.setdefault("null", True)
    kwargs.setdefault("blank", True)
    return models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", **kwargs
    )


# ----------------------------------------------------------------------------------------------
# Children and their carers


# The named permissions (shortbreaks.permissions) the declared status changes ask for.
MANAGE_CHILD = "referrals.manage_child"
RECORD_PANEL_DECISION = "referrals.record_panel_decision"


class ChildTier(models.TextChoices):
    """Where a child is on the tiers; `none` until a service places them."""

    NONE = "none", "None"
    UNIVERSAL = "universal", "Universal"
    TARGETED = "targeted", "Targeted"
    SPECIALIST = "specialist", "Specialist"


class Disability(models.TextChoices):
    """The DfE children in need census disability codes."""

    MOB = "MOB", "Mobility"
    HAND = "HAND", "Hand function"
    PC = "PC", "Personal care"
    INC = "INC", "Incontinence"
    COMM = "COMM", "Communication"
    LD = "LD", "Learning"
    HEAR = "HEAR", "Hearing"
    VIS = "VIS", "Vision"
    BEH = "BEH", "Behaviour"
    CON = "CON", "Consciousness"
    AUT = "AUT", "Autism or Asperger syndrome"
    DDA = "DDA", "Other disability under the Equality Act"


def council_trigram_index(name: str, expression) -> GinIndex:
    """A trigram index (pg_trgm) on `expression` that leads with the council (btree_gin), so a
    search reads its own council's candidates alone (docs/decisions/0032)."""
    return GinIndex(F("council"), OpClass(expression, name="gin_trgm_ops"), name=name)


class Child(CouncilOwned):
    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    date_of_birth = models.DateField()
    council_child_id = models.CharField(
        "council's child id",
        max_length=40,
        blank=True,
        help_text="The council's own case number; one is made when none is given.",
    )
    nhs_number = models.CharField(
        "NHS number", max_length=10, blank=True, validators=[validate_nhs_number]
    )
    upn = models.CharField("unique pupil number", max_length=13, blank=True)
    # The children in need census items (referrals/census.py): codes from referrals/census_codes.py.
    former_upn = models.CharField("former unique pupil number", max_length=13, blank=True)
    upn_unknown_reason = models.CharField(
        "why there is no UPN", max_length=3, choices=UPNUnknown.choices, blank=True
    )
    expected_date_of_birth = models.DateField(
        null=True, blank=True, help_text="For a child referred before birth."
    )
    sex = models.CharField(max_length=1, choices=Sex.choices, blank=True)
    ethnicity = models.CharField(max_length=4, choices=Ethnicity.choices, blank=True)
    date_of_death = models.DateField(null=True, blank=True)
    address = models.TextField(blank=True)
    postcode = models.CharField(max_length=8, blank=True)
    disabilities = models.JSONField(default=list, blank=True, help_text="DfE CIN codes.")
    communication_needs = models.TextField(blank=True)
    school = models.CharField(max_length=200, blank=True)
    tier = models.CharField(
        max_length=20, choices=ChildTier.choices, default=ChildTier.NONE, editable=False
    )
    keyworker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="keyworker_children",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # A duplicate record merged into another: everything recorded about the child moved to the
    # kept record, and this one stays only as a pointer to it (`child_merge`).
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="merged_from",
    )
    merged_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["last_name", "first_name", "id"]
        verbose_name_plural = "children"
        constraints = [
            models.UniqueConstraint(
                fields=["council", "council_child_id"],
                condition=~Q(council_child_id=""),
                name="child_unique_council_id",
            ),
            models.UniqueConstraint(
                fields=["council", "nhs_number"],
                condition=~Q(nhs_number=""),
                name="child_unique_nhs_number",
            ),
        ]
        indexes = [
            models.Index(fields=["council", "last_name", "first_name"]),
            models.Index(fields=["council", "tier"]),
            models.Index(fields=["council", "keyworker"]),
            models.Index(fields=["council", "postcode"]),
            # The search (shortbreaks.search): names by trigram word similarity, the NHS number
            # and child id by substring, postcode and UPN whole; the last three ignoring case,
            # so on UPPER, as `icontains` and `iexact` ask. A whole postcode or UPN is a btree's
            # `=`: the planner prices a trigram index's `=` above reading all of a council's
            # children, and so would not OR the search's indexes together.
            # Each trigram index leads with the council (btree_gin's `=` on a bigint), so a
            # search reads the candidates of the council's children alone: "smith" has about
            # 10,000 across the country and a few dozen in a council.
            council_trigram_index("child_first_name_trgm", F("first_name")),
            council_trigram_index("child_last_name_trgm", F("last_name")),
            council_trigram_index("child_nhs_number_trgm", F("nhs_number")),
            council_trigram_index("child_child_id_trgm", Upper("council_child_id")),
            models.Index(Upper("postcode"), name="child_postcode_upper"),
            models.Index(Upper("upn"), name="child_upn_upper"),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    def get_disabilities_display(self) -> str:
        labels = dict(Disability.choices)
        return ", ".join(labels.get(code, code) for code in self.disabilities)


class Carer(CouncilOwned):
    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="carers")
    name = models.CharField(max_length=200)
    relationship = models.CharField(max_length=100, help_text="e.g. mother, grandfather")
    contact = models.TextField(blank=True, help_text="Telephone, email or address.")
    own_needs = models.TextField(blank=True, help_text="The carer's own needs.")
    account = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="carer_links",
        help_text="The parent account of the same council this carer signs in with, if any.",
    )

    class Meta:
        ordering = ["id"]
        indexes = [
            models.Index(fields=["council", "child"]),
            models.Index(fields=["council", "account"]),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.relationship})"


class ChildEvent(TypedEvent, CouncilOwned):
    """A step in the life of the child's record itself, for its timeline: two records merged."""

    MERGED_IN = "merged_in"
    MERGED_AWAY = "merged_away"

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="record_events")
    kind = models.CharField(
        max_length=20,
        choices=[(MERGED_IN, "Another record merged in"), (MERGED_AWAY, "Merged into another")],
    )
    other = models.ForeignKey(
        Child, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    on = models.DateField()
    actor = _actor_fk()
    at = models.DateTimeField(auto_now_add=True)

    SUMMARIES = {
        MERGED_IN: "Record {record} ({name}) merged into this one: its referrals, assessments, "
        "packages, notes, carers, grants and stays moved here.",
        MERGED_AWAY: "Merged into record {record} ({name}), where everything recorded about the "
        "child now is.",
    }

    class Meta:
        ordering = ["on", "id"]
        indexes = [models.Index(fields=["council", "child"])]


# ----------------------------------------------------------------------------------------------
# Case notes


class CaseNoteKind(models.TextChoices):
    VISIT = "visit", "Visit"
    PHONE_CALL = "phone_call", "Phone call"
    EMAIL = "email", "Email"
    MEETING = "meeting", "Meeting"
    OBSERVATION = "observation", "Observation"


def _case_note_path(instance: CaseNote, filename: str) -> str:
    """As for documents: the server makes the stored name."""
    return server_file_name(
        council_id=instance.council_id, extension=EXTENSIONS[instance.content_type]
    )


class CaseNote(CouncilOwned):
    """A dated note on a child's record by a social worker or team manager. Its author corrects
    it within a day of writing it; after that a correction is a new note that `corrects` it.
    Never shown to a parent carer or a provider."""

    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="case_notes")
    on = models.DateField("date")
    kind = models.CharField(max_length=20, choices=CaseNoteKind.choices)
    text = models.TextField()
    corrects = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="corrections",
        help_text="The earlier note this one corrects.",
    )
    file = models.FileField(upload_to=_case_note_path, max_length=200, blank=True)
    original_name = models.CharField(max_length=200, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveIntegerField(null=True, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    author = _actor_fk()
    created_at = models.DateTimeField(auto_now_add=True)
    corrected_at = models.DateTimeField(
        null=True, blank=True, help_text="When its author last corrected it in place."
    )

    class Meta:
        ordering = ["-on", "-id"]
        indexes = [
            models.Index(fields=["council", "child", "on"]),
            models.Index(fields=["council", "id"], name="casenote_council_keyset"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.on:%d/%m/%Y}"


# ----------------------------------------------------------------------------------------------
# Parent carer accounts


class ParentAccount(CouncilOwned):
    """A parent carer's own sign-in, for one council. It holds no staff membership, so no staff
    page or API lets it in; it sees only the children whose carer record staff (or its own
    online application) linked to it.

    It starts unconfirmed, its user inactive (no sign-in of any kind lets it in), until the link
    emailed to its address is followed (`confirmed_at`)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="parent_account"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField(
        null=True, blank=True, help_text="When the link emailed to the address was followed."
    )

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["council", "created_at"])]

    def __str__(self) -> str:
        return f"Parent account {self.user.email}"


class CarerAccountEvent(TypedEvent, CouncilOwned):
    """A carer linked to or unlinked from a parent account, for the child's timeline. A link made
    by the carer's own online application says so (`params["step"] == "applied"`)."""

    LINKED = "linked"
    UNLINKED = "unlinked"

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="carer_account_events")
    carer = models.ForeignKey(
        Carer, on_delete=models.SET_NULL, null=True, blank=True, related_name="account_events"
    )
    kind = models.CharField(max_length=20, choices=[(LINKED, "Linked"), (UNLINKED, "Unlinked")])
    email = models.EmailField(help_text="The account's email address at the time.")
    on = models.DateField()
    actor = _actor_fk()
    at = models.DateTimeField(auto_now_add=True)

    SUMMARIES = {
        LINKED: "{carer} linked to the parent account {email}.",
        (LINKED, "applied"): "{carer} applied online; the child was recorded from their answers "
        "and their parent account linked.",
        UNLINKED: "{carer} unlinked from the parent account {email}.",
    }

    class Meta:
        ordering = ["on", "id"]
        indexes = [models.Index(fields=["council", "child"])]

    @property
    def summary(self) -> str:
        params = self.params or {}
        template = self.SUMMARIES.get((self.kind, params.get("step"))) or self.SUMMARIES.get(
            self.kind
        )
        return render_summary(template, params)


class TierChange(CouncilOwned):
    """One dated step in a child's tier journey, with the reason and who decided."""

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="tier_changes")
    from_tier = models.CharField(max_length=20, choices=ChildTier.choices)
    to_tier = models.CharField(max_length=20, choices=ChildTier.choices)
    on = models.DateField()
    reason = models.TextField()
    decided_by = _actor_fk()
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["on", "id"]
        indexes = [models.Index(fields=["council", "child", "on"])]


# ----------------------------------------------------------------------------------------------
# Referrals


class ReferralSource(models.TextChoices):
    """The DfE children in need census referral source codes."""

    INDIVIDUAL_FAMILY = "1A", "Individual: family member, relative or carer"
    INDIVIDUAL_ACQUAINTANCE = "1B", "Individual: acquaintance"
    INDIVIDUAL_SELF = "1C", "Individual: self"
    INDIVIDUAL_OTHER = "1D", "Individual: other"
    SCHOOLS = "2A", "Schools"
    EDUCATION_SERVICES = "2B", "Education services"
    HEALTH_GP = "3A", "Health services: GP"
    HEALTH_VISITOR = "3B", "Health services: health visitor"
    HEALTH_SCHOOL_NURSE = "3C", "Health services: school nurse"
    HEALTH_PRIMARY_OTHER = "3D", "Health services: other primary health services"
    HEALTH_AE = "3E", "Health services: A&E"
    HEALTH_OTHER = "3F", "Health services: other"
    HOUSING = "4", "Housing"
    LA_SOCIAL_CARE = "5A", "Local authority services: social care"
    LA_OTHER_INTERNAL = "5B", "Local authority services: other internal"
    LA_EXTERNAL = "5C", "Local authority services: external"
    LA_EARLY_HELP = "5D", "Local authority services: early help"
    POLICE = "6", "Police"
    OTHER_LEGAL = "7", "Other legal agency"
    OTHER = "8", "Other"
    ANONYMOUS = "9", "Anonymous"
    UNKNOWN = "10", "Unknown"


class PrimaryNeed(models.TextChoices):
    """The DfE children in need census primary need codes."""

    N0 = "N0", "N0: not stated"
    N1 = "N1", "N1: abuse or neglect"
    N2 = "N2", "N2: child's disability or illness"
    N3 = "N3", "N3: parental disability or illness"
    N4 = "N4", "N4: family in acute stress"
    N5 = "N5", "N5: family dysfunction"
    N6 = "N6", "N6: socially unacceptable behaviour"
    N7 = "N7", "N7: low income"
    N8 = "N8", "N8: absent parenting"
    N9 = "N9", "N9: cases other than children in need"


class ReferralStatus(models.TextChoices):
    RECEIVED = "received", "Received"
    SCREENING = "screening", "Screening"
    ACCEPTED_FOR_ASSESSMENT = "accepted_for_assessment", "Accepted for assessment"
    SIGNPOSTED_UNIVERSAL = "signposted_universal", "Signposted to universal services"
    REFERRED_TARGETED = "referred_targeted", "Referred to targeted services"
    NO_FURTHER_ACTION = "no_further_action", "No further action"


class Referral(CouncilOwned):
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="referrals")
    received_on = models.DateField()
    source = models.CharField(max_length=4, choices=ReferralSource.choices)
    referrer = models.CharField(
        max_length=200, blank=True, help_text="Who referred, and from where."
    )
    request = models.TextField(help_text="What is asked for.")
    primary_need = models.CharField(max_length=2, choices=PrimaryNeed.choices)
    status = FSMField(
        max_length=30, choices=ReferralStatus.choices, default=ReferralStatus.RECEIVED
    )
    status_date = models.DateField()
    # The children in need episode this referral began ends with its closure (`referral_close`).
    closed_on = models.DateField("CIN closure date", null=True, blank=True)
    closure_reason = models.CharField(
        "reason for closure", max_length=3, choices=ClosureReason.choices, blank=True
    )
    created_by = _actor_fk()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-received_on", "-id"]
        indexes = [
            models.Index(fields=["council", "status", "received_on"]),
            models.Index(fields=["council", "child"]),
            # Keyset pages within one council: the API's cursor (-id) and the page's
            # (-received_on, -id), each read backwards from the council's newest row.
            models.Index(fields=["council", "id"], name="referral_council_keyset"),
            models.Index(fields=["council", "received_on", "id"], name="referral_council_received"),
        ]

    def __str__(self) -> str:
        return f"Referral received {self.received_on:%d/%m/%Y}"

    # The status changes (docs/decisions/0026): received -> screening -> one outcome.

    @transition(
        field=status,
        source=[ReferralStatus.RECEIVED],
        target=ReferralStatus.SCREENING,
        permission=MANAGE_CHILD,
        custom={
            "label": "Start screening",
            "refused": "Only a referral just received can be moved to screening.",
        },
    )
    def screen(self):
        pass

    @transition(
        field=status,
        source=[ReferralStatus.SCREENING],
        target=ReferralStatus.ACCEPTED_FOR_ASSESSMENT,
        permission=MANAGE_CHILD,
        custom={
            "label": "Accept for assessment",
            "refused": "Only a referral in screening can be accepted for assessment.",
        },
    )
    def accept_for_assessment(self):
        pass

    @transition(
        field=status,
        source=[ReferralStatus.SCREENING],
        target=ReferralStatus.SIGNPOSTED_UNIVERSAL,
        permission=MANAGE_CHILD,
        custom={
            "label": "Signpost to universal services",
            "refused": "Only a referral in screening can be signposted to universal services.",
        },
    )
    def signpost_universal(self):
        pass

    @transition(
        field=status,
        source=[ReferralStatus.SCREENING],
        target=ReferralStatus.REFERRED_TARGETED,
        permission=MANAGE_CHILD,
        custom={
            "label": "Refer to targeted services",
            "refused": "Only a referral in screening can be referred to targeted services.",
        },
    )
    def refer_targeted(self):
        pass

    @transition(
        field=status,
        source=[ReferralStatus.SCREENING],
        target=ReferralStatus.NO_FURTHER_ACTION,
        permission=MANAGE_CHILD,
        custom={
            "label": "Close with no further action",
            "refused": "Only a referral in screening can end with no further action.",
        },
    )
    def no_further_action(self):
        pass


class ReferralEventKind(models.TextChoices):
    """Received, each of the referral's declared status changes by its step's name, and the
    closure of the children in need episode (which leaves the status as it was)."""

    RECEIVED = "received", "Received"
    SCREEN = "screen", "Screening started"
    ACCEPT_FOR_ASSESSMENT = "accept_for_assessment", "Accepted for assessment"
    SIGNPOST_UNIVERSAL = "signpost_universal", "Signposted to universal services"
    REFER_TARGETED = "refer_targeted", "Referred to targeted services"
    NO_FURTHER_ACTION = "no_further_action", "No further action"
    CLOSED = "closed", "Children in need episode closed"


class ReferralEvent(TypedEvent, CouncilOwned):
    """One dated change of a referral: the statuses it moved between and the reason are kept
    in their columns (the page, the API and the evidence packs read them); the timeline's
    sentence is the kind's, followed by the reason."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=30, choices=ReferralEventKind.choices)
    from_status = models.CharField(max_length=30, blank=True)
    to_status = models.CharField(max_length=30)
    on = models.DateField()
    reason = models.TextField(blank=True)
    actor = _actor_fk()
    at = models.DateTimeField(auto_now_add=True)

    K = ReferralEventKind
    SUMMARIES = {
        K.RECEIVED: "Referral: received.",
        K.SCREEN: "Referral: screening.",
        K.ACCEPT_FOR_ASSESSMENT: "Referral: accepted for assessment.",
        K.SIGNPOST_UNIVERSAL: "Referral: signposted to universal services.",
        K.REFER_TARGETED: "Referral: referred to targeted services.",
        K.NO_FURTHER_ACTION: "Referral: no further action.",
        K.CLOSED: "Referral:",
    }
    del K

    class Meta:
        ordering = ["on", "id"]

    @property
    def summary(self) -> str:
        sentence = super().summary
        return f"{sentence} {self.reason}" if self.reason else sentence


def _document_path(instance: ReferralDocument, filename: str) -> str:
    """Ignore the uploaded name entirely: the server makes the stored one."""
    return server_file_name(
        council_id=instance.council_id, extension=EXTENSIONS[instance.content_type]
    )


class ReferralDocument(CouncilOwned):
    """A referral form or letter, held on the child's record."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="documents")
    file = models.FileField(upload_to=_document_path, max_length=200)
    original_name = models.CharField(max_length=200, help_text="Shown only; never used to store.")
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    description = models.CharField(max_length=200, blank=True)
    uploaded_by = _actor_fk()
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "id"]
        indexes = [models.Index(fields=["council", "referral"])]

    def __str__(self) -> str:
        return self.original_name


# ----------------------------------------------------------------------------------------------
# Targeted grants and allowances


class GrantScheme(CouncilOwned):
    """A council's targeted short break grant or allowance for one financial year."""

    name = models.CharField(max_length=200)
    year = models.PositiveSmallIntegerField(help_text="The year it starts: 2024 is 2024/25.")
    eligibility_criteria = models.TextField()
    max_amount = models.DecimalField(
        max_digits=9,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0))],
    )

    class Meta:
        ordering = ["-year", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["council", "year", "name"], name="grant_scheme_unique_name"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.year}/{(self.year + 1) % 100:02d}"


class GrantStatus(models.TextChoices):
    RECEIVED = "received", "Waiting for a decision"
    APPROVED = "approved", "Approved"
    DECLINED = "declined", "Declined"


class PaymentStatus(models.TextChoices):
    NOT_DUE = "not_due", "Not due"
    AWAITING_PAYMENT = "awaiting_payment", "Awaiting payment"
    PAID = "paid", "Paid"
    STOPPED = "stopped", "Stopped"


class GrantApplication(CouncilOwned):
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="grant_applications")
    scheme = models.ForeignKey(GrantScheme, on_delete=models.PROTECT, related_name="applications")
    answers = models.JSONField(default=dict, blank=True, help_text="The family's answers.")
    received_on = models.DateField()
    status = models.CharField(
        max_length=20, choices=GrantStatus.choices, default=GrantStatus.RECEIVED
    )
    amount = models.DecimalField(max_digits=9, decimal_places=2, null=True, blank=True)
    decline_reason = models.TextField(blank=True)
    decided_on = models.DateField(null=True, blank=True)
    decided_by = _actor_fk()
    payment_status = FSMField(
        max_length=20, choices=PaymentStatus.choices, default=PaymentStatus.NOT_DUE
    )
    review_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["received_on", "id"]
        indexes = [
            models.Index(fields=["council", "status", "received_on"]),
            models.Index(fields=["council", "child"]),
            models.Index(fields=["council", "id"], name="grantapp_council_keyset"),
        ]
        constraints = [
            # A scheme is one year's, so this is one live application per child, scheme and
            # year; a declined one does not count.
            models.UniqueConstraint(
                fields=["child", "scheme"],
                condition=~models.Q(status="declined"),
                name="grantapp_one_live_per_child_scheme",
            )
        ]

    # The payment's status changes (docs/decisions/0026): an approved award awaits payment, then
    # is paid or stopped; payments move forward only, and a stopped payment stays stopped.

    @transition(
        field=payment_status,
        source=[PaymentStatus.NOT_DUE],
        target=PaymentStatus.AWAITING_PAYMENT,
        permission=MANAGE_CHILD,
        conditions=[
            Rule(
                lambda application: application.status == GrantStatus.APPROVED,
                "Only an approved award is paid.",
            )
        ],
        custom={
            "label": "Awaiting payment",
            "refused": "Only an award not yet due can start awaiting payment.",
        },
    )
    def await_payment(self):
        pass

    @transition(
        field=payment_status,
        source=[PaymentStatus.AWAITING_PAYMENT],
        target=PaymentStatus.PAID,
        permission=MANAGE_CHILD,
        custom={"label": "Paid", "refused": "Only a payment awaited can be paid."},
    )
    def pay(self):
        pass

    @transition(
        field=payment_status,
        source=[PaymentStatus.AWAITING_PAYMENT, PaymentStatus.PAID],
        target=PaymentStatus.STOPPED,
        permission=MANAGE_CHILD,
        custom={
            "label": "Stopped",
            "refused": "Only a payment awaited or paid can be stopped.",
        },
    )
    def stop_payment(self):
        pass


# ----------------------------------------------------------------------------------------------
# Assessments (specialist tier)


class AssessmentStatus(models.TextChoices):
    IN_PROGRESS = "in_progress", "In progress"
    COMPLETED = "completed", "Completed"
    AUTHORISED = "authorised", "Authorised"


class AssessmentOutcome(models.TextChoices):
    SPECIALIST = "specialist", "Needs specialist short breaks"
    TARGETED = "targeted", "Needs can be met by targeted short breaks"
    UNIVERSAL = "universal", "Needs can be met by universal services"
    NO_SUPPORT = "no_support", "No short breaks needed"


# The tier each outcome places a child in when a package ends on its strength.
OUTCOME_TIER = {
    AssessmentOutcome.SPECIALIST: ChildTier.SPECIALIST,
    AssessmentOutcome.TARGETED: ChildTier.TARGETED,
    AssessmentOutcome.UNIVERSAL: ChildTier.UNIVERSAL,
    AssessmentOutcome.NO_SUPPORT: ChildTier.NONE,
}

# The Regulation 3 questions: could the carer go on caring, and what breaks would let them do.
REGULATION_3_QUESTIONS = {
    "carer_could_continue_without_breaks": (
        "Could the carer continue to care without breaks from caring?"
    ),
    "breaks_enable_work": "Would breaks let the carer work, or work more?",
    "breaks_enable_study": "Would breaks let the carer study or train?",
    "breaks_enable_other_children": "Would breaks let the carer care for other children?",
    "breaks_enable_household": "Would breaks let the carer run the household?",
}


class Assessment(CouncilOwned):
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="assessments")
    referral = models.ForeignKey(
        Referral, on_delete=models.PROTECT, null=True, blank=True, related_name="assessments"
    )
    status = models.CharField(
        max_length=20, choices=AssessmentStatus.choices, default=AssessmentStatus.IN_PROGRESS
    )
    child_needs = models.TextField(blank=True)
    carer_needs = models.TextField(blank=True)
    carer_could_continue_without_breaks = models.BooleanField(null=True, blank=True)
    breaks_enable_work = models.BooleanField(null=True, blank=True)
    breaks_enable_study = models.BooleanField(null=True, blank=True)
    breaks_enable_other_children = models.BooleanField(null=True, blank=True)
    breaks_enable_household = models.BooleanField(null=True, blank=True)
    outcome = models.CharField(max_length=20, choices=AssessmentOutcome.choices, blank=True)
    recommended_support = models.TextField(blank=True)
    factors = models.JSONField(
        "factors identified at assessment",
        default=list,
        blank=True,
        help_text="DfE CIN assessment factor codes.",
    )
    started_on = models.DateField()
    started_by = _actor_fk()
    completed_on = models.DateField(null=True, blank=True)
    completed_by = _actor_fk()
    authorised_on = models.DateField(null=True, blank=True)
    authorised_by = _actor_fk()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-started_on", "-id"]
        indexes = [
            models.Index(fields=["council", "status", "completed_on"]),
            models.Index(fields=["council", "child"]),
            models.Index(fields=["council", "id"], name="assessment_council_keyset"),
        ]

    def __str__(self) -> str:
        return f"Assessment started {self.started_on:%d/%m/%Y}"

    @property
    def sections(self) -> dict[str, bool]:
        """The task list: each part of the assessment and whether it is done."""
        return {
            "child_needs": bool(self.child_needs.strip()),
            "carer_needs": bool(self.carer_needs.strip()),
            "regulation_3": all(getattr(self, name) is not None for name in REGULATION_3_QUESTIONS),
            "outcome": bool(self.outcome) and bool(self.recommended_support.strip()),
        }


class AssessmentEventKind(models.TextChoices):
    STARTED = "started", "Started"
    FACTORS = "factors", "Factors identified"
    COMPLETED = "completed", "Completed"
    RETURNED = "returned", "Returned"
    AUTHORISED = "authorised", "Authorised"


class AssessmentEvent(TypedEvent, CouncilOwned):
    """One dated step of an assessment: started, completed, returned, authorised."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="events")
    on = models.DateField()
    kind = models.CharField(max_length=30, choices=AssessmentEventKind.choices)
    actor = _actor_fk()
    at = models.DateTimeField(auto_now_add=True)

    SUMMARIES = {
        AssessmentEventKind.STARTED: "Assessment started.",
        AssessmentEventKind.FACTORS: "Factors identified at assessment: {listed}.",
        AssessmentEventKind.COMPLETED: "Assessment completed: {outcome_label}.",
        AssessmentEventKind.RETURNED: "Returned: {reason}",
        AssessmentEventKind.AUTHORISED: "Assessment authorised.",
    }

    class Meta:
        ordering = ["on", "id"]


# ----------------------------------------------------------------------------------------------
# Packages of support, the panel and delivery


class PackageStatus(models.TextChoices):
    PROPOSED = "proposed", "Proposed"
    APPROVED = "approved", "Approved"
    ACTIVE = "active", "Active"
    CEASED = "ceased", "Ceased"


class Package(CouncilOwned):
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="packages")
    assessment = models.ForeignKey(
        Assessment, on_delete=models.PROTECT, related_name="packages", help_text="Its basis."
    )
    status = FSMField(max_length=20, choices=PackageStatus.choices, default=PackageStatus.PROPOSED)
    start_on = models.DateField()
    end_on = models.DateField(null=True, blank=True)
    review_interval_months = models.PositiveSmallIntegerField(
        default=6, validators=[MinValueValidator(1)]
    )
    next_review_due = models.DateField(null=True, blank=True)
    created_by = _actor_fk()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-start_on", "-id"]
        indexes = [
            models.Index(fields=["council", "status", "next_review_due"]),
            models.Index(fields=["council", "child"]),
            models.Index(fields=["council", "id"], name="package_council_keyset"),
        ]

    def __str__(self) -> str:
        return f"Package from {self.start_on:%d/%m/%Y}"

    # The status changes (docs/decisions/0026): proposed -> approved by the panel -> active when
    # support starts -> ceased at a review; a package that never started is withdrawn.

    @transition(
        field=status,
        source=[PackageStatus.PROPOSED],
        target=None,
        permission=RECORD_PANEL_DECISION,
        custom={
            "label": "Record the panel's decision",
            "refused": "The panel decides only on a proposed package.",
        },
    )
    def decide(self):
        """The panel decides (approved, declined or deferred); approving also steps `approve`."""

    @transition(
        field=status,
        source=[PackageStatus.PROPOSED],
        target=PackageStatus.APPROVED,
        permission=RECORD_PANEL_DECISION,
        conditions=[
            Rule(
                lambda package: package.lines.exists(),
                "A package with no services cannot be approved.",
            )
        ],
        custom={
            "label": "Approve",
            "refused": "The panel decides only on a proposed package.",
        },
    )
    def approve(self):
        pass

    @transition(
        field=status,
        source=[PackageStatus.APPROVED],
        target=PackageStatus.ACTIVE,
        permission=MANAGE_CHILD,
        custom={
            "label": "Record that support has started",
            "refused": "Only a package the panel approved can start.",
        },
    )
    def activate(self):
        pass

    @transition(
        field=status,
        source=[PackageStatus.PROPOSED, PackageStatus.APPROVED],
        target=PackageStatus.CEASED,
        permission=MANAGE_CHILD,
        custom={
            "label": "Withdraw the package",
            "refused": (
                "Support that has started can be ceased only by a review with a reassessment."
            ),
        },
    )
    def withdraw(self):
        pass

    # Only an active package can be reviewed: the one rule the service, the pages, the API and
    # the templates ask (`states.refusal(package, "review")`, `{% may package "review" %}`).
    @transition(
        field=status,
        source="*",
        target=None,
        permission=MANAGE_CHILD,
        conditions=[
            Rule(
                lambda package: package.status != PackageStatus.CEASED,
                "This package has ceased; there is nothing to review.",
            ),
            Rule(
                lambda package: package.status == PackageStatus.ACTIVE,
                "A package is reviewed once support has started.",
            ),
        ],
        custom={"label": "Record a review", "refused": "Only an active package can be reviewed."},
    )
    def review(self):
        pass

    @transition(
        field=status,
        source=[PackageStatus.ACTIVE],
        target=PackageStatus.CEASED,
        permission=MANAGE_CHILD,
        custom={
            "label": "Cease at a review",
            "refused": "Only an active package can be ceased at a review.",
        },
    )
    def cease(self):
        pass


class PackageEventKind(models.TextChoices):
    PROPOSED = "proposed", "Proposed"
    LINE_ADDED = "line_added", "Service added"
    LINE_ENDED = "line_ended", "Service ended"
    PANEL = "panel", "Panel decision"
    STARTED = "started", "Support started"
    WITHDRAWN = "withdrawn", "Withdrawn"
    REVIEWED = "reviewed", "Reviewed"
    CEASED = "ceased", "Ceased at review"
    BROKERAGE = "brokerage", "Brokerage"


class PackageEvent(TypedEvent, CouncilOwned):
    """One line of a package's history: proposed, approved, started, changed, ceased, and its
    lines' brokerage. A kind with more than one sentence names the one it means in
    `params["step"]`; its summary is declared under `(kind, step)`."""

    package = models.ForeignKey(Package, on_delete=models.CASCADE, related_name="events")
    on = models.DateField()
    kind = models.CharField(max_length=30, choices=PackageEventKind.choices)
    actor = _actor_fk()
    at = models.DateTimeField(auto_now_add=True)

    K = PackageEventKind
    SUMMARIES = {
        K.PROPOSED: "Package proposed for the panel.",
        (K.LINE_ADDED, "hours"): (
            "{service} from {provider}, {hours_per_week} hours a week at {ratio}."
        ),
        (K.LINE_ADDED, "nights"): (
            "{service} from {provider}, {nights_per_year} nights a year at {ratio}."
        ),
        K.LINE_ENDED: "{line} ended: {reason}",
        K.PANEL: "Panel {decision_label}: {reasons}",
        K.STARTED: "Support started; first review due {next_review_due:%d/%m/%Y}.",
        K.WITHDRAWN: "Withdrawn: {reason}",
        K.REVIEWED: "Reviewed: {outcome_label}. Next review due {next_review_due:%d/%m/%Y}.",
        K.CEASED: "Ceased at review: {reasons}",
        (K.BROKERAGE, "raised"): "Brokerage request {request_id}: raised for {line}.",
        (K.BROKERAGE, "sent"): (
            "Brokerage request {request_id}: sent to {members} DPS members, answers by "
            "{deadline:%d/%m/%Y}."
        ),
        (K.BROKERAGE, "awarded"): (
            "Brokerage request {request_id}: awarded to {provider} at £{unit_rate:,.2f} {unit} "
            "under call-off contract {contract}."
        ),
        (K.BROKERAGE, "spot_purchased"): (
            "Brokerage request {request_id}: spot purchased from {provider} at "
            "£{unit_rate:,.2f} {unit}: {reason}"
        ),
        (K.BROKERAGE, "withdrawn"): "Brokerage request {request_id}: withdrawn: {reason}",
    }
    del K

    class Meta:
        ordering = ["on", "id"]


class FundingRoute(models.TextChoices):
    COMMISSIONED = "commissioned", "Commissioned"
    SPOT_PURCHASE = "spot_purchase", "Spot purchase"
    DIRECT_PAYMENT = "direct_payment", "Direct payment"


class PackageLine(CouncilOwned):
    """One service in a package. Costs are computed from hours or nights and the unit rate.

    The unit rate is what one hour (or night) of the service costs at this line's ratio, as the
    provider invoices it, so a 2:1 hour is priced at its own rate rather than doubled here.
    """

    package = models.ForeignKey(Package, on_delete=models.CASCADE, related_name="lines")
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="package_lines")
    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="package_lines")
    lot = models.ForeignKey(
        Lot, on_delete=models.PROTECT, null=True, blank=True, related_name="package_lines"
    )
    funding_route = models.CharField(max_length=20, choices=FundingRoute.choices)
    ratio = models.CharField(max_length=5, choices=Ratio.choices)
    hours_per_week = models.DecimalField(
        max_digits=6,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    nights_per_year = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1)]
    )
    unit_rate = models.DecimalField(
        max_digits=8, decimal_places=2, validators=[MinValueValidator(Decimal(0))]
    )
    start_on = models.DateField()
    end_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["start_on", "id"]
        indexes = [
            models.Index(fields=["council", "funding_route"]),
            models.Index(fields=["council", "service"]),
            models.Index(fields=["council", "lot"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(hours_per_week__isnull=False, nights_per_year__isnull=True)
                    | Q(hours_per_week__isnull=True, nights_per_year__isnull=False)
                ),
                name="package_line_hours_or_nights",
            )
        ]

    def __str__(self) -> str:
        return f"{self.service} ({self.get_funding_route_display().lower()})"

    @property
    def cost_per_week(self) -> Decimal:
        return line_costs(self.hours_per_week, self.nights_per_year, self.unit_rate)[0]

    @property
    def cost_per_year(self) -> Decimal:
        return line_costs(self.hours_per_week, self.nights_per_year, self.unit_rate)[1]


def line_costs(
    hours_per_week: Decimal | None, nights_per_year: int | None, unit_rate: Decimal
) -> tuple[Decimal, Decimal]:
    """Cost per week and per year of hours a week or nights a year at a unit rate, in pounds."""
    if hours_per_week is not None:
        weekly = hours_per_week * unit_rate
        yearly = weekly * WEEKS_PER_YEAR
    else:
        yearly = Decimal(nights_per_year or 0) * unit_rate
        weekly = yearly / WEEKS_PER_YEAR
    return weekly.quantize(MONEY), yearly.quantize(MONEY)


class PanelOutcome(models.TextChoices):
    APPROVED = "approved", "Approved"
    DECLINED = "declined", "Declined"
    DEFERRED = "deferred", "Deferred"


class PanelDecision(CouncilOwned):
    """The resource panel's decision on a proposed package.

    Declined and deferred leave the package proposed, to be changed and brought back or
    withdrawn; approved moves it to approved.
    """

    package = models.ForeignKey(Package, on_delete=models.CASCADE, related_name="panel_decisions")
    decision = models.CharField(max_length=20, choices=PanelOutcome.choices)
    reasons = models.TextField()
    decided_on = models.DateField()
    members = models.JSONField(default=list, help_text="The names of the members who sat.")
    recorded_by = _actor_fk()
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["decided_on", "id"]
        indexes = [
            models.Index(fields=["council", "decided_on"]),
            models.Index(fields=["council", "id"], name="paneldecision_council_keyset"),
        ]


class NotDeliveredReason(models.TextChoices):
    STAFF_SHORTAGE = "staff_shortage", "Staff shortage"
    PROVIDER_WITHDREW = "provider_withdrew", "Provider withdrew"
    FAMILY_CANCELLED = "family_cancelled", "Family cancelled"
    OTHER = "other", "Other"


class DeliveryRecord(CouncilOwned):
    """What a package line delivered against plan in one period."""

    line = models.ForeignKey(PackageLine, on_delete=models.CASCADE, related_name="deliveries")
    period_start = models.DateField()
    period_end = models.DateField()
    hours_delivered = models.DecimalField(
        max_digits=7, decimal_places=2, validators=[MinValueValidator(Decimal(0))]
    )
    hours_not_delivered = models.DecimalField(
        max_digits=7,
        decimal_places=2,
        default=Decimal(0),
        validators=[MinValueValidator(Decimal(0))],
    )
    reason = models.CharField(max_length=20, choices=NotDeliveredReason.choices, blank=True)
    notes = models.TextField(blank=True)
    recorded_by = _actor_fk()
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["period_start", "id"]
        indexes = [models.Index(fields=["council", "period_start"])]


# ----------------------------------------------------------------------------------------------
# Overnight stays


class OvernightStay(CouncilOwned):
    """One night a child spent away from home on a short break."""

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="overnight_stays")
    night = models.DateField(help_text="The date the night begins.")
    line = models.ForeignKey(
        PackageLine, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_by = _actor_fk()
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["night"]
        constraints = [
            models.UniqueConstraint(fields=["child", "night"], name="overnight_one_per_night")
        ]
        indexes = [
            models.Index(fields=["council", "child", "night"]),
            # The children away on a given night (those whose stay may be running long).
            models.Index(fields=["council", "night"], name="overnight_council_night"),
        ]


class OvernightCount(CouncilOwned):
    """How many of a child's overnight stays fall in one calendar year. Kept by the services that
    record or move stays, in the same transaction, so that finding the children near the
    12-month threshold reads only those with many nights, not every stay of the council
    (`selectors.overnights.near_overnight_limits`)."""

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    nights = models.PositiveSmallIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["child", "year"], name="overnight_count_one_a_year")
        ]
        indexes = [
            models.Index(fields=["council", "year", "nights"], name="overnight_count_many"),
        ]


# ----------------------------------------------------------------------------------------------
# Reviews


class ReviewOutcome(models.TextChoices):
    CONTINUE = "continue", "Continue"
    INCREASE = "increase", "Increase"
    REDUCE = "reduce", "Reduce"
    CEASE = "cease", "Cease"


class Review(CouncilOwned):
    package = models.ForeignKey(Package, on_delete=models.PROTECT, related_name="reviews")
    due_on = models.DateField(null=True, blank=True)
    held_on = models.DateField()
    outcome = models.CharField(max_length=20, choices=ReviewOutcome.choices)
    reasons = models.TextField(blank=True)
    family_views = models.TextField(blank=True)
    family_told_on = models.DateField(null=True, blank=True)
    reassessment = models.ForeignKey(
        Assessment, on_delete=models.PROTECT, null=True, blank=True, related_name="reviews"
    )
    recorded_by = _actor_fk()
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["held_on", "id"]
        indexes = [
            models.Index(fields=["council", "held_on"]),
            models.Index(fields=["council", "id"], name="review_council_keyset"),
        ]


# ----------------------------------------------------------------------------------------------
# Support in numbers, summarised


class SupportSummary(CouncilOwned):
    """Support in numbers for one council as it was at `refreshed_at`: what its page, CSV and API
    read, so that they cost the same whatever the council holds. `running` holds the support
    running on `on` (the exact numbers of `selectors.aggregates.council_aggregates`); the months
    are `SupportSummaryMonth` rows. Worked out again by a periodic task (`referrals.summary`)."""

    refreshed_at = models.DateTimeField()
    on = models.DateField()
    first_month = models.DateField()
    running = models.JSONField(encoder=DjangoJSONEncoder)
    spend_sources = models.JSONField(
        default=list, help_text="The labels of the sources of spend by month, in their order."
    )
    running_csv = models.TextField(
        blank=True,
        default="",
        help_text="`running` as the CSV download gives it, small numbers withheld; empty for a "
        "summary worked out before it was kept.",
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["council"], name="support_summary_one_a_council")
        ]


class SupportSummaryMonth(CouncilOwned):
    """One council's support in one of the last 24 months, counted as `referrals.trends` counts
    it, exactly (small numbers are withheld as they are read). `spend` holds each source of
    spend's amount and the children it was for: {label: {"amount": "1.00", "children": 5}}."""

    month = models.DateField(help_text="The first day of the month.")
    children_universal = models.PositiveIntegerField(default=0)
    children_targeted = models.PositiveIntegerField(default=0)
    children_specialist = models.PositiveIntegerField(default=0)
    hours_delivered = models.DecimalField(max_digits=14, decimal_places=2, default=Decimal(0))
    hours_children = models.PositiveIntegerField(default=0)
    nights = models.PositiveIntegerField(default=0)
    nights_children = models.PositiveIntegerField(default=0)
    spend = models.JSONField(default=dict)
    refreshed_at = models.DateTimeField()

    class Meta:
        ordering = ["month"]
        constraints = [
            models.UniqueConstraint(
                fields=["council", "month"], name="support_summary_month_one_a_month"
            )
        ]
