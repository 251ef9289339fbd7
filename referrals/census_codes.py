"""The DfE children in need census code sets the records hold (2025-26 specification), and the
unique pupil number's check.

The disability, referral source and primary need codes live beside the models that first held
them (`referrals.models`); these are the ones the census return added.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.db import models


class Sex(models.TextChoices):
    """Item N00783: M, F, or U (not known, and always U for an unborn child)."""

    MALE = "M", "Male"
    FEMALE = "F", "Female"
    UNKNOWN = "U", "Not known"


class Ethnicity(models.TextChoices):
    """Item N00177: the DfE's ethnicity codes."""

    WBRI = "WBRI", "White: British"
    WIRI = "WIRI", "White: Irish"
    WIRT = "WIRT", "White: Traveller of Irish heritage"
    WROM = "WROM", "White: Gypsy or Roma"
    WOTH = "WOTH", "White: any other White background"
    MWBC = "MWBC", "Mixed: White and Black Caribbean"
    MWBA = "MWBA", "Mixed: White and Black African"
    MWAS = "MWAS", "Mixed: White and Asian"
    MOTH = "MOTH", "Mixed: any other mixed background"
    AIND = "AIND", "Asian or Asian British: Indian"
    APKN = "APKN", "Asian or Asian British: Pakistani"
    ABAN = "ABAN", "Asian or Asian British: Bangladeshi"
    AOTH = "AOTH", "Asian or Asian British: any other Asian background"
    BCRB = "BCRB", "Black or Black British: Caribbean"
    BAFR = "BAFR", "Black or Black British: African"
    BOTH = "BOTH", "Black or Black British: any other Black background"
    CHNE = "CHNE", "Chinese"
    OOTH = "OOTH", "Any other ethnic group"
    REFU = "REFU", "Refused"
    NOBT = "NOBT", "Information not yet obtained"


class UPNUnknown(models.TextChoices):
    """Item N00135: why a child has no unique pupil number."""

    UN1 = "UN1", "UN1: child is aged under 6 and not yet attending school"
    UN2 = "UN2", "UN2: child has never attended a state school in England"
    UN3 = "UN3", "UN3: child is educated at home"
    UN4 = "UN4", "UN4: child is an unaccompanied asylum-seeking child, or was one"
    UN5 = "UN5", "UN5: sources collating UPNs reflect significantly different information"
    UN6 = "UN6", "UN6: child is aged 6 or over and not attending school"
    UN7 = "UN7", "UN7: referral with no further action"


class ClosureReason(models.TextChoices):
    """Item N00103: why a children in need episode closed."""

    RC1 = "RC1", "RC1: adopted"
    RC2 = "RC2", "RC2: died"
    RC3 = "RC3", "RC3: child arrangements order"
    RC4 = "RC4", "RC4: special guardianship order"
    RC5 = "RC5", "RC5: transferred to services of another local authority"
    RC6 = "RC6", "RC6: transferred to adult social care services"
    RC7 = "RC7", "RC7: services ceased for any other reason, including no longer in need"
    RC8 = "RC8", "RC8: case closed after assessment, no further action"
    RC9 = "RC9", "RC9: case closed after assessment, referred to early help"


class AssessmentFactor(models.TextChoices):
    """Item N00181: the factors identified at the end of an assessment. 18A and 19A are left
    out: the DfE asks for 18B/18C and 19B/19C instead (rules 8945Q, 8950Q)."""

    F1A = "1A", "1A: alcohol misuse, by the child"
    F1B = "1B", "1B: alcohol misuse, by a parent or carer"
    F1C = "1C", "1C: alcohol misuse, by another person in the household"
    F2A = "2A", "2A: drug misuse, by the child"
    F2B = "2B", "2B: drug misuse, by a parent or carer"
    F2C = "2C", "2C: drug misuse, by another person in the household"
    F3A = "3A", "3A: domestic abuse, the child as subject"
    F3B = "3B", "3B: domestic abuse, a parent or carer as subject"
    F3C = "3C", "3C: domestic abuse, another person in the household as subject"
    F4A = "4A", "4A: mental health, of the child"
    F4B = "4B", "4B: mental health, of a parent or carer"
    F4C = "4C", "4C: mental health, of another person in the household"
    F5A = "5A", "5A: learning disability, of the child"
    F5B = "5B", "5B: learning disability, of a parent or carer"
    F5C = "5C", "5C: learning disability, of another person in the household"
    F6A = "6A", "6A: physical disability or illness, of the child"
    F6B = "6B", "6B: physical disability or illness, of a parent or carer"
    F6C = "6C", "6C: physical disability or illness, of another person in the household"
    F7A = "7A", "7A: young carer"
    F8B = "8B", "8B: privately fostered, other"
    F9A = "9A", "9A: unaccompanied asylum-seeking child"
    F10A = "10A", "10A: going or being missing"
    F11A = "11A", "11A: child sexual exploitation"
    F12A = "12A", "12A: trafficking"
    F13A = "13A", "13A: gangs"
    F14A = "14A", "14A: socially unacceptable behaviour"
    F15A = "15A", "15A: self-harm"
    F16A = "16A", "16A: abuse or neglect: neglect"
    F17A = "17A", "17A: abuse or neglect: emotional abuse"
    F18B = "18B", "18B: physical abuse, child on child"
    F18C = "18C", "18C: physical abuse, adult on child"
    F19B = "19B", "19B: sexual abuse, child on child"
    F19C = "19C", "19C: sexual abuse, adult on child"
    F20 = "20", "20: female genital mutilation"
    F21 = "21", "21: no factors identified"
    F22A = "22A", "22A: abuse linked to faith or belief"
    F23A = "23A", "23A: child criminal exploitation"


NO_FACTORS = AssessmentFactor.F21

# The DfE's unique pupil number: a check letter, the 3-digit DfE LA number, 8 digits, and a
# digit (a permanent UPN) or a letter (a temporary one). The UPN guide's check letters leave out
# I, O and S.
UPN_SHAPE = re.compile(r"^[A-Z][0-9]{11}[0-9A-Z]$")
UPN_LETTERS = "ABCDEFGHJKLMNPQRTUVWXYZ"
CHILD_ID_SHAPE = re.compile(r"^[A-Za-z0-9]{1,20}$")


def upn_check_letter(upn: str) -> str:
    """The check letter of a permanent UPN: characters 2 to 13 times weights 2 to 13, the
    remainder after dividing by 23, as a letter (the DfE's rule 1510)."""
    total = sum(int(character) * weight for weight, character in enumerate(upn[1:13], start=2))
    return UPN_LETTERS[total % 23]


def upn_problem(upn: str) -> str | None:
    """Why `upn` is not a unique pupil number, or None when it is one."""
    if not UPN_SHAPE.match(upn) or (not upn[12].isdigit() and upn[12] not in UPN_LETTERS):
        return "a letter, then 11 digits, then a digit or letter"
    if upn[12].isdigit() and upn[0] != upn_check_letter(upn):
        return "its first letter is not the check letter the other characters give"
    return None


def validate_upn(value: str) -> None:
    problem = upn_problem(value)
    if problem:
        raise ValidationError(f"Enter a unique pupil number: {problem}", code="invalid_upn")


def census_child_id(council_child_id: str) -> str:
    """The LA child id the census carries: the council's own id without its separators, since
    the DfE takes letters and digits only (rules 1570 and 1580 check it stays so)."""
    return "".join(ch for ch in council_child_id if ch.isalnum())
