from django.conf import settings
from django.urls import resolve
from django.urls.exceptions import Resolver404

from shortbreaks.navigation import navigation_for


def service(request):
    user = getattr(request, "user", None)
    items = navigation_for(user) if user is not None else []
    try:
        match = resolve(request.path_info)
        current = f"{match.namespace}:{match.url_name}" if match.namespace else match.url_name
    except Resolver404:
        current = None
    council = user.active_council if user is not None and user.is_authenticated else None
    return {
        "service_name": settings.SERVICE_NAME,
        "phase": settings.PHASE,
        "active_council": council,
        "is_council_member": bool(getattr(user, "staff_roles", None)),
        "navigation": items,
        "current_url_name": current,
    }
