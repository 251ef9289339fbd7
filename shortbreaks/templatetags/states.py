"""`{% may obj "step" as allowed %}`: whether the signed-in person may make a declared status change
now (shortbreaks.states). Pages offer a button only when it is true, so the page and the server
never disagree."""

from django import template

from shortbreaks import states

register = template.Library()


@register.simple_tag(takes_context=True)
def may(context, obj, name: str) -> bool:
    request = context.get("request")
    user = getattr(request, "user", None)
    return bool(obj is not None and user is not None and states.may(obj, name, user))


@register.simple_tag
def refusal(obj, name: str) -> str:
    return states.refusal(obj, name) or ""
