"""The OpenAPI description, finished once for every operation rather than view by view.

drf-spectacular builds the description from the views and serializers; this postprocessing hook
(`SPECTACULAR_SETTINGS["POSTPROCESSING_HOOKS"]`, after the enum hook) then:

- gives every operation a `summary`. A view that names its own (`extend_schema(summary=...)`)
  keeps it; the others get one made from the method and the path ("List contracts", "Approve a
  membership", "Read a document of a referral"), which is what the path says the operation does;
- documents the error answers every operation can give, each as the JSON the API sends
  (`shortbreaks.api.exception_handler`): 400 with field messages where the request carries a body
  or query parameters, 401 and 403 where a sign-in is needed, 404 where the path names a record
  (a missing record and another council's answer the same). A view that documents one of these
  itself keeps its own;
- moves an empty `default` off a `format` it does not satisfy: a blank-allowed email or URL
  field is `oneOf` the format and the empty string, and its default belongs to the field, not
  to the email branch (`openapi-spec-validator` refuses `default: ''` beside `format: email`).
"""

from __future__ import annotations

import re

METHODS = ("get", "post", "put", "patch", "delete")

ERROR = "Error"
FIELD_ERRORS = "FieldErrors"
COMPONENTS = {
    ERROR: {
        "type": "object",
        "description": "Why the request was refused, in words.",
        "properties": {"detail": {"type": "string"}},
        "required": ["detail"],
    },
    FIELD_ERRORS: {
        "type": "object",
        "description": "What is wrong with the request: each field that is wrong, with its "
        "messages (`detail` or `non_field_errors` for the request as a whole).",
        "additionalProperties": {},
    },
}

ERROR_ANSWERS = {
    "400": ("The request is not valid: nothing was changed.", FIELD_ERRORS),
    "401": ("No valid token or session: sign in.", ERROR),
    "403": ("The signed-in person's role does not allow this.", ERROR),
    "404": ("No such record in the active council (another council's is not found either).", ERROR),
}

# The last part of a path that names what a POST (or GET) does to the record before it.
ACTIONS = {
    "accept": "Accept {}",
    "activate": "Activate {}",
    "approve": "Approve {}",
    "authorise": "Authorise {}",
    "complete": "Complete {}",
    "decide": "Decide {}",
    "decline": "Decline {}",
    "download": "Download {}",
    "exit": "Record the exit of {}",
    "payment": "Move on the payment of {}",
    "publish": "Publish {}",
    "reinstate": "Reinstate {}",
    "return": "Return {} for changes",
    "search": "Search {}",
    "start_assessment": "Start the assessment of {}",
    "status": "Change the status of {}",
    "submit": "Submit {}",
    "suspend": "Suspend {}",
    "transition": "Move {} to another status",
    "withdraw": "Withdraw {}",
}

# Operations whose path alone says too little.
SUMMARIES = {
    ("get", "/api/v1/me/"): "Read the signed-in person, their councils and roles",
    ("post", "/api/v1/me/council/"): "Switch the active council",
    ("post", "/api/v1/spend/"): "Set the budget and outturn of a year and package type",
    ("put", "/api/v1/spend/"): "Set the budget and outturn of a year and package type",
    ("get", "/api/v1/aggregates/"): "Read support in numbers",
    (
        "post",
        "/api/v1/dps/{dps_id}/memberships/{membership_id}/checks/",
    ): "Record the pre-approval checks of a membership",
    (
        "patch",
        "/api/v1/dps/{dps_id}/memberships/{membership_id}/checks/",
    ): "Record the pre-approval checks of a membership",
    (
        "post",
        "/api/v1/children/{child_id}/carers/{carer_id}/account/",
    ): "Link a carer to a parent account",
    (
        "delete",
        "/api/v1/children/{child_id}/carers/{carer_id}/account/",
    ): "Unlink a carer from their parent account",
    (
        "post",
        "/api/v1/evidence-packs/{pack_id}/download/",
    ): "Download an evidence pack, confirming the password",
    ("post", "/api/v1/evidence-packs/{pack_id}/grants/"): "Share an evidence pack",
    (
        "delete",
        "/api/v1/evidence-packs/{pack_id}/grants/{grant_id}/",
    ): "Stop sharing an evidence pack with a person",
    ("get", "/api/v1/access-log/"): "List the access log's entries",
    ("get", "/api/v1/children/{child_id}/overnights/"): "Count a child's nights away",
    ("post", "/api/v1/children/{child_id}/overnights/"): "Record a child's stay away",
    ("get", "/api/v1/contracts/{contract_id}/monitoring/"): "List a contract's monitoring",
    ("post", "/api/v1/contracts/{contract_id}/monitoring/"): "Record monitoring of a contract",
    ("get", "/api/v1/contracts/invitations/"): "List invitations to joint contracts",
    ("get", "/api/v1/external-auditors/invitations/"): "List invitations to external auditors",
    ("post", "/api/v1/external-auditors/invitations/"): "Invite an external auditor",
    ("get", "/api/v1/packages/{package_id}/delivery/"): "List the delivery of a package",
    ("post", "/api/v1/packages/{package_id}/delivery/"): "Record delivery of a package",
    ("post", "/api/v1/recommendations/{recommendation_id}/evidence/"): "Link evidence",
    (
        "delete",
        "/api/v1/recommendations/{recommendation_id}/evidence/{link_id}/",
    ): "Remove an evidence link",
    ("get", "/api/v1/spend/"): "List budget and outturn",
    ("get", "/api/v1/statements/{statement_id}/feedback/"): "List carers' views on a version",
}

WORDS = {"dps": "DPS", "ocds": "OCDS", "me": "me"}
SINGULAR = {"children": "child", "dps": "DPS", "evidence": "evidence"}
VERBS_FOR_ITEMS = {"get": "Read", "patch": "Change", "put": "Replace", "delete": "Remove"}


def postprocess(result: dict, generator, request, public) -> dict:  # noqa: ARG001 - the hook's API
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    for name, schema in COMPONENTS.items():
        schemas.setdefault(name, schema)
    for path, item in result.get("paths", {}).items():
        for method in METHODS:
            operation = item.get(method)
            if operation is None:
                continue
            if not operation.get("summary"):
                operation["summary"] = SUMMARIES.get((method, path)) or summary_for(method, path)
            _document_errors(method, path, operation)
    _move_blank_defaults(result)
    return result


def _document_errors(method: str, path: str, operation: dict) -> None:
    responses = operation.setdefault("responses", {})
    parameters = operation.get("parameters", [])
    codes = []
    if "requestBody" in operation or any(p.get("in") == "query" for p in parameters):
        codes.append("400")
    # `{}` among the security requirements: the operation is open without signing in.
    if {} not in operation.get("security", [{}]):
        codes += ["401", "403"]
    if "{" in path:
        codes.append("404")
    for code in codes:
        if code not in responses:
            responses[code] = {"description": ERROR_ANSWERS[code][0]}
    # Every error answer is JSON: one a view documented by its description alone gets the body.
    for code, response in responses.items():
        if code.startswith("4") and "content" not in response:
            component = ERROR_ANSWERS.get(code, ("", ERROR))[1]
            response["content"] = {
                "application/json": {"schema": {"$ref": f"#/components/schemas/{component}"}}
            }


def summary_for(method: str, path: str) -> str:
    """A summary from the method and the path: what a reader of the path would call it."""
    parts = [p for p in path.strip("/").split("/") if p]
    if parts[:2] == ["api", "v1"]:
        parts = parts[2:]
    is_param = [bool(re.fullmatch(r"\{\w+\}", p)) for p in parts]
    if is_param and is_param[-1]:
        noun = _singular(parts[-2])
        parent = _parent_noun(parts[:-2], is_param[:-2])
        summary = f"{VERBS_FOR_ITEMS.get(method, method.title())} {_a(noun)}"
        return summary + (f" of {_a(parent)}" if parent else "")
    name = parts[-1] if parts else ""
    parent = _parent_noun(parts[:-1], is_param[:-1]) if len(parts) > 1 and is_param[-2] else None
    if name in ACTIONS and method in ("post", "get") and (parent or name == "search"):
        target = _a(parent) if parent else _words(parts[-2]) if len(parts) > 1 else ""
        return ACTIONS[name].format(target).strip()
    words = _words(name)
    of_parent = f" of {_a(parent)}" if parent else ""
    if method == "get":
        return f"List {words}{of_parent}" if _is_plural(name) else f"Read the {words}{of_parent}"
    if method == "post":
        return f"Create {_a(_singular(name))}" + (f" for {_a(parent)}" if parent else "")
    verb = {"put": "Replace", "patch": "Change", "delete": "Remove"}.get(method, method.title())
    return f"{verb} the {words}{of_parent}"


def _parent_noun(parts: list[str], is_param: list[bool]) -> str | None:
    """The record named by the last path parameter, if the path names one."""
    if not parts or not is_param[-1] or len(parts) < 2:
        return None
    return _singular(parts[-2])


def _words(part: str) -> str:
    return WORDS.get(part, part.replace("-", " ").replace("_", " "))


def _is_plural(part: str) -> bool:
    return part in SINGULAR or (part.endswith("s") and not part.endswith("ss"))


def _singular(part: str) -> str:
    if part in SINGULAR:
        return SINGULAR[part]
    words = _words(part)
    if words.endswith("ies"):
        return words[:-3] + "y"
    if words.endswith("s") and not words.endswith("ss"):
        return words[:-1]
    return words


def _a(noun: str | None) -> str:
    if not noun:
        return ""
    if noun.isupper():
        return f"a {noun}"
    return f"{'an' if noun[0] in 'aeiou' else 'a'} {noun}"


def _move_blank_defaults(node) -> None:
    """An empty default on a `oneOf` branch with a format goes up to the field itself."""
    if isinstance(node, dict):
        branches = node.get("oneOf") or node.get("anyOf")
        if isinstance(branches, list):
            for branch in branches:
                if isinstance(branch, dict) and "format" in branch and branch.get("default") == "":
                    node.setdefault("default", branch.pop("default"))
        elif "format" in node and node.get("default") == "" and node.get("type") == "string":
            del node["default"]
        for value in node.values():
            _move_blank_defaults(value)
    elif isinstance(node, list):
        for value in node:
            _move_blank_defaults(value)
