"""Taking a child's identifiers out of the text a brokerage request sends to providers.

Providers learn what the child needs, never who the child is. Every free-text field is cleaned of
what the council holds about the child (names, the child's and carers'; NHS number; date of
birth; full postcode and address; the council's case number; unique pupil number; school), and of
anything shaped like an NHS number or a full postcode whoever it belongs to.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

NAME = "name"
NHS_NUMBER = "NHS number"
DATE_OF_BIRTH = "date of birth"
POSTCODE = "postcode"
ADDRESS = "address"
CASE_NUMBER = "case number"
UPN = "unique pupil number"
SCHOOL = "school"

REPLACEMENTS = {
    NAME: "[name removed]",
    NHS_NUMBER: "[NHS number removed]",
    DATE_OF_BIRTH: "[date of birth removed]",
    POSTCODE: "[postcode removed]",
    ADDRESS: "[address removed]",
    CASE_NUMBER: "[case number removed]",
    UPN: "[pupil number removed]",
    SCHOOL: "[school removed]",
}

# Any full UK postcode (outward and inward code), spaced or not.
_POSTCODE = re.compile(r"\b[A-Z]{1,2}[0-9][A-Z0-9]?\s*[0-9][A-Z]{2}\b", re.IGNORECASE)
# Any ten digits written as an NHS number is (3-3-4, spaced, dashed or run together).
_NHS = re.compile(r"(?<!\d)\d{3}[\s-]?\d{3}[\s-]?\d{4}(?!\d)")
_DISTRICT = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]?$")

_MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


def postcode_district(postcode: str) -> str:
    """The outward code of a postcode ("HR4 9AB" -> "HR4"); "" when it is not one."""
    compact = re.sub(r"\s+", "", postcode or "").upper()
    if len(compact) < 5:
        return ""
    outward = compact[:-3]
    return outward if _DISTRICT.match(outward) else ""


def is_district(value: str) -> bool:
    return bool(_DISTRICT.match((value or "").strip().upper()))


def _date_patterns(day: date) -> list[str]:
    """The ways a date of birth is written: 01/05/2014, 1/5/2014, 1.5.14, 2014-05-01, 1 May 2014,
    1st May 2014, May 1, 2014."""
    d, m, y = day.day, day.month, day.year
    sep = r"\s*[/.\-]\s*"
    month = _MONTHS[m - 1]
    ordinal = r"(?:st|nd|rd|th)?"
    return [
        rf"\b0?{d}{sep}0?{m}{sep}(?:{y}|{y % 100:02d})\b",
        rf"\b{y}{sep}0?{m}{sep}0?{d}\b",
        rf"\b0?{d}{ordinal}\s+(?:of\s+)?(?:{month}|{month[:3]})\.?,?\s+{y}\b",
        rf"\b(?:{month}|{month[:3]})\.?\s+0?{d}{ordinal},?\s+{y}\b",
    ]


def _words(text: str) -> list[str]:
    return [w for w in re.findall(r"[A-Za-z][A-Za-z'\-]+", text or "") if len(w) >= 2]


@dataclass
class Identifiers:
    """What the council holds that would identify one child."""

    names: list[str] = field(default_factory=list)
    nhs_number: str = ""
    date_of_birth: date | None = None
    postcode: str = ""
    address_lines: list[str] = field(default_factory=list)
    case_number: str = ""
    upn: str = ""
    school: str = ""

    @classmethod
    def of_child(cls, child) -> Identifiers:
        names = [child.first_name, child.last_name, *_words(child.first_name)]
        names += _words(child.last_name)
        for carer in child.carers.all():
            names += _words(carer.name)
        lines = [line.strip(" ,") for line in re.split(r"[\n,]", child.address or "")]
        return cls(
            names=sorted({n.strip() for n in names if len(n.strip()) >= 2}, key=len, reverse=True),
            nhs_number=child.nhs_number,
            date_of_birth=child.date_of_birth,
            postcode=child.postcode,
            address_lines=[line for line in lines if len(line) >= 4],
            case_number=child.council_child_id,
            upn=child.upn,
            school=child.school,
        )


def _sub(pattern: str, replacement: str, text: str, flags=re.IGNORECASE) -> tuple[str, bool]:
    new, count = re.subn(pattern, replacement, text, flags=flags)
    return new, bool(count)


def strip_identifiers(text: str, who: Identifiers) -> tuple[str, list[str]]:
    """The text without the child's identifiers, and the kinds of identifier taken out."""
    removed: list[str] = []

    def take(kind: str, pattern: str, flags=re.IGNORECASE) -> None:
        nonlocal text
        text, found = _sub(pattern, REPLACEMENTS[kind], text, flags)
        if found and kind not in removed:
            removed.append(kind)

    text = text or ""
    # The longest, most specific first: an address holds the postcode, a school's name holds
    # words that are also names.
    for line in sorted(who.address_lines, key=len, reverse=True):
        take(ADDRESS, re.escape(line))
    if who.school.strip():
        take(SCHOOL, re.escape(who.school.strip()))
    if who.case_number.strip():
        take(CASE_NUMBER, rf"(?<![\w]){re.escape(who.case_number.strip())}(?![\w])")
    if who.upn.strip():
        take(UPN, rf"(?<![\w]){re.escape(who.upn.strip())}(?![\w])")
    if who.date_of_birth is not None:
        for pattern in _date_patterns(who.date_of_birth):
            take(DATE_OF_BIRTH, pattern)
    take(NHS_NUMBER, _NHS.pattern, 0)
    compact = re.sub(r"\s+", "", who.postcode or "")
    if compact:
        take(POSTCODE, r"\s*".join(re.escape(c) for c in compact))
    take(POSTCODE, _POSTCODE.pattern)
    for name in who.names:
        take(NAME, rf"(?<![\w]){re.escape(name)}(?:'s)?(?![\w])")
    return text, removed
