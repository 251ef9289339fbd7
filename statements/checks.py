"""Is a statement version fit to publish? The checks Regulation 5 asks for, one a task.

`compliance_check(version)` returns every check, passed or not, in the order the staff task list
shows them; `compliance_problems(version)` the reasons of those that fail. Each check names the
section of the statement that fixes it (`section`, a key of `statements.forms.staff.SECTIONS`).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from statements.content import build_content


@dataclass(frozen=True)
class Check:
    key: str
    label: str
    ok: bool
    reason: str = ""
    section: str = ""

    def as_dict(self) -> dict:
        data = asdict(self)
        data.pop("section")
        return data


def _blank(value) -> bool:
    return not str(value or "").strip()


def compliance_check(version, *, content: dict | None = None) -> list[Check]:
    content = content if content is not None else build_content(version)
    checks: list[Check] = []

    def add(key, label, ok, reason, section):
        checks.append(
            Check(key=key, label=label, ok=ok, reason="" if ok else reason, section=section)
        )

    add(
        "range",
        "List the range of short breaks services",
        bool(content.get("service_count")),
        "There are no services in the range. Add the council's short breaks services "
        "(with an active provider) before publishing.",
        "range",
    )
    eligibility = {row["tier"]: row["text"] for row in content.get("eligibility", [])}
    add(
        "eligibility_universal",
        "Write the eligibility criteria for universal short breaks",
        not _blank(eligibility.get("universal")),
        "The eligibility criteria for universal short breaks are missing.",
        "eligibility",
    )
    has_grant = bool(content.get("grant_criteria"))
    add(
        "eligibility_targeted",
        "Write the eligibility criteria for targeted short breaks",
        has_grant or not _blank(eligibility.get("targeted")),
        "The eligibility criteria for targeted short breaks are missing: write them, or set up "
        "the targeted short break grant scheme with its criteria.",
        "eligibility",
    )
    add(
        "eligibility_specialist",
        "Write the eligibility criteria for specialist short breaks",
        not _blank(eligibility.get("specialist")),
        "The eligibility criteria for specialist short breaks are missing.",
        "eligibility",
    )
    add(
        "meeting_needs",
        "Explain how the range meets carers' needs",
        not _blank(content.get("meeting_needs")),
        "The statement does not say how the range of services is designed to meet carers' needs.",
        "meeting_needs",
    )
    unexplained = [
        row["label"]
        for row in content.get("categories_without_service", [])
        if _blank(row.get("explanation"))
    ]
    add(
        "categories",
        "Explain any kind of short break the council does not offer",
        not unexplained,
        "No service and no explanation for: " + "; ".join(unexplained) + ".",
        "categories",
    )
    add(
        "views_summary",
        "Summarise carers' views and the council's response",
        not _blank(content.get("views_summary")),
        "There is no summary of carers' views and the council's response to them.",
        "views_summary",
    )
    lead = content.get("lead_officer") or {}
    no_name, no_contact = _blank(lead.get("name")), _blank(lead.get("contact"))
    if no_name and no_contact:
        lead_reason = "The lead officer's name and contact details are missing."
    elif no_name:
        lead_reason = "The lead officer's name is missing."
    else:
        lead_reason = "The lead officer's contact details are missing."
    add(
        "lead_officer",
        "Name the lead officer and how to contact them",
        not (no_name or no_contact),
        lead_reason,
        "lead_officer",
    )
    add(
        "how_to_apply",
        "Explain how to apply",
        not _blank(content.get("how_to_apply")),
        "The statement does not say how to apply for short breaks.",
        "how_to_apply",
    )
    add(
        "how_to_complain",
        "Explain how to give views or complain",
        not _blank(content.get("views_and_complaints")),
        "The statement does not say how to give views on short breaks or complain.",
        "views_and_complaints",
    )
    return checks


def compliance_problems(version, *, content: dict | None = None) -> list[str]:
    return [c.reason for c in compliance_check(version, content=content) if not c.ok]
