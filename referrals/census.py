"""The DfE children in need (CIN) census return: its XML, and the DfE's own rules run over it.

A census year runs from 1 April to 31 March (the reference date). A child is in the return when
one of their children in need episodes was open at any time in the year: a referral received by
the reference date and not closed before the year began. A referral that ended in no further
action (no further action, signposted to universal services, referred to the targeted offer) is
an episode of its day only, so it counts when it was received in the year. Each episode carries
the assessments that were under way in the year; one authorised after the reference date goes
without its authorisation date and factors, as it was unfinished on that day.

The XML follows the DfE's CIN census specification (Message, Header, Children, Child, its
identifiers, characteristics and CINdetails). `census_check` validates it with the DfE's rules
package, `csc-validator-be-cin`, for the year's own rule set, and says which record each failing
rule points at, so the census page can link the page that fixes it. The reads are
`referrals.selectors.census.census_children`.
"""

from __future__ import annotations

import hashlib
import importlib
import re
import xml.etree.ElementTree as ET  # noqa: S405 - builds our own XML; parses only what it built
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime

from django.core.cache import cache
from django.utils import timezone

from referrals.census_codes import census_child_id
from referrals.models import Assessment, AssessmentStatus, Child, Referral, ReferralStatus

COLLECTION = "CIN"
SOFTWARE_CODE = "Short breaks case management"
RELEASE = "1"
# The referral outcomes that are "no further action" for children's social care.
NO_FURTHER_ACTION = frozenset(
    {
        ReferralStatus.NO_FURTHER_ACTION,
        ReferralStatus.SIGNPOSTED_UNIVERSAL,
        ReferralStatus.REFERRED_TARGETED,
    }
)
# The years the DfE rules package has a rule set for, from the first with the `Sex` item.
FIRST_YEAR, LAST_YEAR = 2024, 2026
YEAR_SHAPE = re.compile(r"^(\d{4})-(\d{2})$")


class CensusYearInvalid(ValueError):
    pass


@dataclass(frozen=True)
class CensusYear:
    """A census year by the year it begins: 2025 is 2025-26, reference date 31 March 2026."""

    first: int

    @property
    def label(self) -> str:
        return f"{self.first}-{(self.first + 1) % 100:02d}"

    @property
    def start(self) -> date:
        return date(self.first, 4, 1)

    @property
    def reference_date(self) -> date:
        return date(self.first + 1, 3, 31)

    @property
    def ruleset(self) -> str:
        return f"cin{self.first}_{(self.first + 1) % 100:02d}"

    @classmethod
    def parse(cls, text: str) -> CensusYear:
        match = YEAR_SHAPE.match(text or "")
        if not match or (int(match.group(1)) + 1) % 100 != int(match.group(2)):
            raise CensusYearInvalid("Enter the census year like 2025-26.")
        first = int(match.group(1))
        if not FIRST_YEAR <= first <= LAST_YEAR:
            raise CensusYearInvalid(
                f"The census can be made for {CensusYear(FIRST_YEAR).label} to "
                f"{CensusYear(LAST_YEAR).label}."
            )
        return cls(first)

    @classmethod
    def latest(cls, today: date | None = None) -> CensusYear:
        """The last year whose reference date has passed: the return being made or just made."""
        today = today or timezone.localdate()
        first = today.year - 1 if today >= date(today.year, 3, 31) else today.year - 2
        return cls(min(max(first, FIRST_YEAR), LAST_YEAR))

    @classmethod
    def choices(cls) -> list[CensusYear]:
        return [cls(first) for first in range(LAST_YEAR, FIRST_YEAR - 1, -1)]


def episode_in_year(referral: Referral, year: CensusYear) -> bool:
    """The same test as `census_children`'s query, for one referral."""
    if referral.received_on > year.reference_date:
        return False
    if referral.status in NO_FURTHER_ACTION:
        return referral.received_on >= year.start
    return referral.closed_on is None or referral.closed_on >= year.start


# ----------------------------------------------------------------------------------------------
# The XML


@dataclass
class CensusRows:
    """Which record each row of the validator's tables came from, in the XML's order."""

    children: list[Child] = field(default_factory=list)
    episodes: list[Referral] = field(default_factory=list)
    assessments: list[Assessment] = field(default_factory=list)
    disabilities: list[Child] = field(default_factory=list)


@dataclass
class CensusReturn:
    year: CensusYear
    xml: bytes
    rows: CensusRows


def _text(parent: ET.Element, tag: str, value) -> None:
    """A child element, left out when there is no value (the census's optional items)."""
    if value in (None, ""):
        return
    if isinstance(value, date):
        value = value.isoformat()
    ET.SubElement(parent, tag).text = str(value)


def _episode_assessments(child: Child, episodes: list[Referral]) -> dict[int, list[Assessment]]:
    """Each episode's assessments: those made from its referral, and any made without a referral
    under the latest episode that began on or before the assessment did."""
    by_episode: dict[int, list[Assessment]] = defaultdict(list)
    ids = {episode.pk for episode in episodes}
    for assessment in child.census_assessments:
        if assessment.referral_id in ids:
            by_episode[assessment.referral_id].append(assessment)
            continue
        if assessment.referral_id is not None:
            continue  # made from a referral outside the year: it belongs to that episode
        earlier = [e for e in episodes if e.received_on <= assessment.started_on]
        if earlier:
            by_episode[earlier[-1].pk].append(assessment)
    return by_episode


def _child_element(children: ET.Element, child: Child, year: CensusYear, rows: CensusRows):
    episodes = [e for e in child.census_episodes if episode_in_year(e, year)]
    if not episodes:
        return
    rows.children.append(child)
    element = ET.SubElement(children, "Child")
    identifiers = ET.SubElement(element, "ChildIdentifiers")
    _text(identifiers, "LAchildID", census_child_id(child.council_child_id))
    _text(identifiers, "UPN", child.upn)
    _text(identifiers, "FormerUPN", child.former_upn)
    _text(identifiers, "UPNunknown", "" if child.upn else child.upn_unknown_reason)
    # A child born after the reference date was unborn on it: their expected date of birth.
    unborn = child.date_of_birth > year.reference_date
    if unborn:
        expected = child.expected_date_of_birth or child.date_of_birth
        _text(identifiers, "ExpectedPersonBirthDate", expected)
    else:
        _text(identifiers, "PersonBirthDate", child.date_of_birth)
    _text(identifiers, "Sex", "U" if unborn else child.sex)
    if child.date_of_death and child.date_of_death <= year.reference_date:
        _text(identifiers, "PersonDeathDate", child.date_of_death)

    characteristics = ET.SubElement(element, "ChildCharacteristics")
    _text(characteristics, "Ethnicity", child.ethnicity)
    if child.disabilities:
        disabilities = ET.SubElement(characteristics, "Disabilities")
        for code in child.disabilities:
            _text(disabilities, "Disability", code)
            rows.disabilities.append(child)

    assessments = _episode_assessments(child, episodes)
    for episode in episodes:
        rows.episodes.append(episode)
        details = ET.SubElement(element, "CINdetails")
        _text(details, "CINreferralDate", episode.received_on)
        _text(details, "ReferralSource", episode.source)
        _text(details, "PrimaryNeedCode", episode.primary_need)
        if episode.closed_on and episode.closed_on <= year.reference_date:
            _text(details, "CINclosureDate", episode.closed_on)
            _text(details, "ReasonForClosure", episode.closure_reason)
        _text(details, "ReferralNFA", "1" if episode.status in NO_FURTHER_ACTION else "0")
        for assessment in assessments.get(episode.pk, []):
            rows.assessments.append(assessment)
            block = ET.SubElement(details, "Assessments")
            _text(block, "AssessmentActualStartDate", assessment.started_on)
            finished = (
                assessment.status == AssessmentStatus.AUTHORISED
                and assessment.authorised_on <= year.reference_date
            )
            if finished:
                _text(block, "AssessmentAuthorisationDate", assessment.authorised_on)
                if assessment.factors:
                    factors = ET.SubElement(block, "FactorsIdentifiedAtAssessment")
                    for code in assessment.factors:
                        _text(factors, "AssessmentFactors", code)


def census_return(
    *, council, year: CensusYear, children, now: datetime | None = None
) -> CensusReturn:
    """The council's return for the year, from `census_children`'s children, as XML bytes."""
    now = now or timezone.now()
    message = ET.Element("Message")
    header = ET.SubElement(message, "Header")
    collection = ET.SubElement(header, "CollectionDetails")
    _text(collection, "Collection", COLLECTION)
    _text(collection, "Year", year.first + 1)
    _text(collection, "ReferenceDate", year.reference_date)
    source = ET.SubElement(header, "Source")
    _text(source, "SourceLevel", "L")
    _text(source, "LEA", council.dfe_la_number)
    _text(source, "SoftwareCode", SOFTWARE_CODE)
    _text(source, "Release", RELEASE)
    _text(source, "SerialNo", "001")
    made_at = timezone.localtime(now).replace(microsecond=0, tzinfo=None)
    _text(source, "DateTime", made_at.isoformat())
    element = ET.SubElement(message, "Children")
    rows = CensusRows()
    for child in children:
        _child_element(element, child, year, rows)
    ET.indent(message)
    xml = ET.tostring(message, encoding="utf-8", xml_declaration=True)
    return CensusReturn(year=year, xml=xml, rows=rows)


def census_filename(council, year: CensusYear) -> str:
    return f"cin-census-{council.dfe_la_number or council.slug}-{year.label}.xml"


# ----------------------------------------------------------------------------------------------
# The DfE's rules


@dataclass(frozen=True)
class RuleFailure:
    code: str
    message: str
    is_error: bool  # an error stops the return; a query asks the council to check or explain
    fields: tuple[str, ...]
    fix: str  # which page fixes it: "child", "referral" or "assessment"
    record: object | None  # the Child, Referral or Assessment


@dataclass
class ChildFailures:
    child: Child
    failures: list[RuleFailure]


@dataclass
class CensusCheck:
    children: list[ChildFailures]
    return_level: list[RuleFailure]
    errors: int
    queries: int


TABLE_FIX = {
    "ChildIdentifiers": "child",
    "ChildCharacteristics": "child",
    "Disabilities": "child",
    "CINdetails": "referral",
    "Assessments": "assessment",
    "AssessmentFactorsList": "assessment",
}


def _registry(year: CensusYear):
    return importlib.import_module(f"cin_validator.rules.{year.ruleset}").registry


def _is_error(rule) -> bool:
    return rule is None or rule.rule_type.name == "ERROR"


def _record(census: CensusReturn, table: str, row) -> object | None:
    try:
        index = int(row)
    except (TypeError, ValueError):
        return None
    rows = {
        "ChildIdentifiers": census.rows.children,
        "ChildCharacteristics": census.rows.children,
        "Disabilities": census.rows.disabilities,
        "CINdetails": census.rows.episodes,
        "Assessments": census.rows.assessments,
    }.get(table)
    if rows is None or not 0 <= index < len(rows):
        return None
    return rows[index]


# The census modules these records never hold (CIN plans, section 47 enquiries, child protection
# plans and their reviews): a rule about them, or only about their items, has no row to fail, so
# it is not run (each rule costs the validator a copy of every table).
NOT_HELD_TABLES = frozenset({"CINplanDates", "Section47", "ChildProtectionPlans", "Reviews"})
NOT_HELD_ITEMS = frozenset(
    {
        "CINPlanStartDate",
        "CINPlanEndDate",
        "S47ActualStartDate",
        "InitialCPCtarget",
        "DateOfInitialCPC",
        "ICPCnotRequired",
        "CPPID",
        "CPPstartDate",
        "CPPendDate",
        "InitialCategoryOfAbuse",
        "LatestCategoryOfAbuse",
        "NumberOfPreviousCPP",
        "CPPreviewDate",
    }
)
CHECK_CACHE_SECONDS = 60 * 60


def _rules_to_run(registry) -> list[str]:
    return [
        str(rule.code)
        for rule in registry.values()
        if rule.module.name not in NOT_HELD_TABLES
        and not (rule.affected_fields and set(map(str, rule.affected_fields)) <= NOT_HELD_ITEMS)
    ]


def _run_rules(census: CensusReturn) -> tuple[list[dict], list[str]]:
    """The validator's findings: each failing row (rule code, table, row, LA child id, item)
    and the codes of the rules about the whole return. Kept in the cache by the return's
    content (its time of making aside), so the page checks a return once until a record in it
    changes. The validator (pandas) is imported here, when a check is asked for."""
    content = re.sub(rb"<DateTime>[^<]*</DateTime>", b"", census.xml)
    key = f"census-check:{census.year.ruleset}:{hashlib.sha256(content).hexdigest()}"
    found = cache.get(key)
    if found is not None:
        return found
    from cin_validator import cin_validator as validator

    root = ET.fromstring(census.xml)  # noqa: S314 - the XML census_return just built
    data = validator.process_data(validator.convert_data(root))
    registry = _registry(census.year)
    result = validator.CinValidator(data, registry, selected_rules=_rules_to_run(registry))
    issues = result.full_issue_df
    rows = [
        {
            "code": str(issue.get("rule_code")),
            "table": str(issue.get("tables_affected") or ""),
            "row": issue.get("row_id"),
            "child_id": str(issue.get("child_id")),
            "column": str(issue.get("columns_affected") or ""),
            "description": str(issue.get("rule_description") or ""),
        }
        for issue in (issues.to_dict("records") if len(issues) else [])
    ]
    whole = list(dict.fromkeys(str(code) for code in result.multichild_issues["rule_code"]))
    found = (rows, whole)
    cache.set(key, found, CHECK_CACHE_SECONDS)
    return found


def census_check(census: CensusReturn) -> CensusCheck:
    """Run the year's DfE rules over the return; each failure named with its child and the
    record that fixes it."""
    rows, whole = _run_rules(census)
    rules = {str(rule.code): rule for rule in _registry(census.year).values()}

    by_child_id = {census_child_id(c.council_child_id): c for c in census.rows.children}
    per_child: dict[int, ChildFailures] = {}
    seen: set[tuple] = set()
    for issue in rows:
        code, table, column = issue["code"], issue["table"], issue["column"]
        record = _record(census, table, issue["row"])
        child = (
            record
            if isinstance(record, Child)
            else getattr(record, "child", None) or by_child_id.get(issue["child_id"])
        )
        if child is None:
            continue
        key = (child.pk, code, type(record).__name__, getattr(record, "pk", None))
        rule = rules.get(code)
        fix = TABLE_FIX.get(table, "child")
        if fix != "child" and record is None:
            fix = "child"
        if key in seen:
            continue
        seen.add(key)
        entry = per_child.setdefault(child.pk, ChildFailures(child=child, failures=[]))
        entry.failures.append(
            RuleFailure(
                code=code,
                message=rule.message.strip() if rule else issue["description"],
                is_error=_is_error(rule),
                fields=(column,) if column else (),
                fix=fix,
                record=record if fix != "child" else child,
            )
        )
    return_level = []
    for code in whole:
        rule = rules.get(code)
        return_level.append(
            RuleFailure(
                code=code,
                message=rule.message.strip() if rule else code,
                is_error=_is_error(rule),
                fields=(),
                fix="",
                record=None,
            )
        )
    children = sorted(per_child.values(), key=lambda c: (c.child.last_name, c.child.pk))
    for entry in children:
        entry.failures.sort(key=lambda f: (not f.is_error, f.code))
    failures = [f for c in children for f in c.failures] + return_level
    return CensusCheck(
        children=children,
        return_level=return_level,
        errors=sum(f.is_error for f in failures),
        queries=sum(not f.is_error for f in failures),
    )


# ----------------------------------------------------------------------------------------------
# For the page and the API


def census_for(*, actor, year: CensusYear, now: datetime | None = None) -> CensusReturn:
    """The actor's council's return for the year (nothing in it for anyone who may not make
    it: `census_children` answers none)."""
    from referrals.selectors.census import census_children

    children = census_children(actor=actor, start=year.start, reference_date=year.reference_date)
    return census_return(council=actor.active_council, year=year, children=children, now=now)


def census_log(*, actor, request, census: CensusReturn, action: str = "download") -> None:
    """The access log: the children whose records the return (or its check) read, as a list
    row with their ids, and for the XML itself a download row, as for the other exports."""
    from shortbreaks.accesslog.services import LIST, access_log_record, access_log_record_list

    access_log_record_list(
        actor=actor,
        request=request,
        object_type="referrals.child",
        ids=[child.pk for child in census.rows.children],
        filters={"census": census.year.label},
        action=LIST,
    )
    if action == "download":
        access_log_record(
            actor=actor,
            request=request,
            action="download",
            object_type="referrals.census",
            object_id=census.year.label,
        )
