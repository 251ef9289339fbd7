"""Pages that belong to no one app: home, health, the accessibility statement, error pages."""

from django.conf import settings
from django.db import transaction
from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from shortbreaks import accessibility
from shortbreaks.councils.models import Council, Role
from shortbreaks.navigation import navigation_for
from shortbreaks.permissions import permission_required

# What each role is here for, shown on their home page above the links they may use.
ROLE_SUMMARIES = {
    Role.COMMISSIONER: "You keep the council's register of providers, lots, contracts, DPS "
    "memberships and extensions, watch what expires when, and publish the short breaks "
    "services statement.",
    Role.CONTRACT_MANAGER: "You manage the contracts you are named on: monitoring visits, KPI "
    "returns, expiry reminders and extensions.",
    Role.SOCIAL_WORKER: "You log referrals, record assessments of children and carers, take "
    "packages of support to panel and review them.",
    Role.TEAM_MANAGER: "You authorise assessments and packages, watch your team's caseload and "
    "what is due, and can see who has viewed a child's record.",
    Role.FINANCE_OFFICER: "You compare spend with budget by financial year and approve the "
    "finance side of contract extensions.",
    Role.AUDITOR: "You follow audit recommendations and management actions, and download evidence "
    "packs that show what the council did.",
    Role.COUNCIL_ADMIN: "You look after the council's people, teams and roles, and can read the "
    "access log of who viewed or changed what.",
}


def home(request):
    """Staff see their home page; a person who holds no role here but has a home elsewhere (a
    parent carer's account) is sent there; anyone else is refused as before."""
    elsewhere = signed_in_elsewhere(request.user)
    if elsewhere:
        from django.shortcuts import redirect

        return redirect(elsewhere)
    return _staff_home(request)


def signed_in_elsewhere(user) -> str | None:
    """Where a signed-in person with no role in any council belongs, asked of the apps through
    settings.SIGNED_IN_HOMES (callables taking the user, returning a URL or None)."""
    from django.utils.module_loading import import_string

    if not getattr(user, "is_authenticated", False) or user.staff_roles:
        return None
    for path in settings.SIGNED_IN_HOMES:
        url = import_string(path)(user)
        if url:
            return url
    return None


@permission_required("councils.use_service")
def _staff_home(request):
    roles = [
        (Role(role).label, ROLE_SUMMARIES[role])
        for role in Role.values
        if role in request.user.staff_roles
    ]
    items = [item for item in navigation_for(request.user) if item.url_name != "home"]
    panels = [panel for panel in (p(request) for p in _home_panels()) if panel]
    return render(request, "home.html", {"roles": roles, "items": items, "panels": panels})


def _home_panels():
    """Apps add to the home page through settings.HOME_PANELS: callables taking the request and
    returning {"template": ..., **context} or None. The settings know every app; this module
    imports none of them."""
    from django.utils.module_loading import import_string

    return [import_string(path) for path in settings.HOME_PANELS]


# A search is a few words, an NHS number or a reference: longer is cut to this.
SITE_SEARCH_MAX_LENGTH = 100


@require_http_methods(["GET", "POST"])
@permission_required("councils.use_service")
def site_search(request):
    """The header's search: posted, so no name or NHS number is ever in an address (decision
    0008); a GET shows the empty form. Each group of children's records found writes one row
    in the access log, as a search of the children's list does."""
    from shortbreaks import sitesearch
    from shortbreaks.accesslog.services import SEARCH, access_log_record_list
    from shortbreaks.search import clean

    search, groups, searched, error = "", [], False, ""
    if request.method == "POST":
        search = clean(request.POST.get("q", ""))[:SITE_SEARCH_MAX_LENGTH]
        if search:
            searched = True
            groups = sitesearch.site_search(actor=request.user, search=search)
            for group in groups:
                if group.logged_as:
                    access_log_record_list(
                        actor=request.user,
                        request=request,
                        action=SEARCH,
                        object_type=group.logged_as,
                        ids=[row.pk for row in group.rows],
                        filters={"search": search},
                    )
        else:
            error = "Enter a name, NHS number, child id, reference or title"
    return render(
        request,
        "search.html",
        {
            "search": search,
            "groups": groups,
            "searched": searched,
            "found": sum(len(group.rows) for group in groups),
            "error": error,
            "max_length": SITE_SEARCH_MAX_LENGTH,
        },
        status=400 if error else 200,
    )


def landing(request):
    """The front door: signed-in staff go to their home page, everyone else to sign in."""
    from django.shortcuts import redirect

    if request.user.is_authenticated:
        return redirect("home")
    return redirect("sign-in")


def accessibility_statement(request, council_slug: str | None = None):
    """The accessibility statement (GOV.UK's model): for one council, with its own contact and
    response time; without one, for the service, with every council's contact."""
    council = None
    if council_slug is not None:
        council = Council.objects.filter(slug=council_slug).first()
        if council is None:
            raise Http404("No council with that name.")
    return render(
        request,
        "accessibility.html",
        {
            "council": council,
            "councils": [] if council else list(Council.objects.order_by("name")),
            "statement": accessibility,
        },
    )


@never_cache
@require_GET
@transaction.non_atomic_requests  # a database that is down is reported, not a 500
def healthz(request):
    """Each part as JSON (shortbreaks.health); 200 when all are healthy, 503 otherwise."""
    from shortbreaks import health

    healthy, body = health.report()
    return JsonResponse(body, status=200 if healthy else 503)


def error_403(request, exception=None):
    return render(request, "403.html", status=403)


def error_404(request, exception=None):
    return render(request, "404.html", status=404)


def error_400(request, exception=None):
    """A request Django could not read (a body over DATA_UPLOAD_MAX_MEMORY_SIZE is a 413, too
    many fields or files a 400): JSON for the API, the product's own page for people."""
    from django.core.exceptions import RequestDataTooBig

    from shortbreaks.errors import too_big_message

    too_big = isinstance(exception, RequestDataTooBig)
    status = 413 if too_big else 400
    if request.path.startswith("/api/"):
        detail = too_big_message() if too_big else "The request could not be read."
        return JsonResponse({"detail": detail}, status=status)
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE / (1024 * 1024)
    return render(
        request, "400.html", {"too_big": too_big, "limit_mb": f"{limit:g}"}, status=status
    )


def error_500(request):
    # No request context: whatever failed may be what a context processor needs.
    from django.http import HttpResponseServerError
    from django.template import loader

    return HttpResponseServerError(loader.get_template("500.html").render())
