"""The MOJ "filter a list" layout: a filter panel beside a list, made from the list's filter form.

    {% load filter_layout %}
    {% filter_layout form heading="Filter children" method="post" action=url %}
      ... the list, its export links and its pagination ...
    {% end_filter_layout %}

The panel has a heading, the selected filters (each a tag that is a plain link to the same
address without that filter, and a link that clears them all), an "Apply filters" button and the
form's fields. It is a plain form, so it works without JavaScript; on small screens JavaScript
hides it behind a "Show filter" button in the list's action bar.

A form names the query parameters a field is read from in `filter_params` (`{"search": ("q",)}`)
when they are not its own name, and the heading over its selected checkboxes in
`filter_checkbox_heading`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django import forms, template
from django.template.base import token_kwargs
from django.utils.http import urlencode

register = template.Library()

# Never carried into a tag's or the clear link's address: a new filter starts at the first page.
NOT_KEPT = ("page", "before", "format")
EMPTY = (None, "", False, [], ())


@dataclass
class Tag:
    text: str
    href: str


@dataclass
class Category:
    heading: str
    tags: list[Tag] = field(default_factory=list)


def _param_names(form, bound_field) -> tuple[str, ...]:
    """The query parameters a field is read from: its own name, a multi-part widget's parts, or
    what the form says in `filter_params`."""
    named = getattr(form, "filter_params", {}).get(bound_field.name)
    if named:
        return tuple(named)
    name = bound_field.html_name
    suffixes = getattr(bound_field.field.widget, "widgets_names", None)
    return (name, *(f"{name}{suffix}" for suffix in suffixes)) if suffixes else (name,)


def _href(path: str, params, without: tuple[str, ...]) -> str:
    kept = [
        (key, value)
        for key in params
        if key not in without and key not in NOT_KEPT
        for value in params.getlist(key)
    ]
    return f"{path}?{urlencode(kept)}" if kept else path


def _choice_label(choices, value) -> str:
    for key, label in choices:
        if isinstance(label, (list, tuple)):  # a group of choices
            found = _choice_label(label, value)
            if found is not None:
                return found
        elif str(key) == str(value):
            return str(label)
    return None


def _text(bound_field, value) -> str:
    form_field = bound_field.field
    if isinstance(form_field, forms.ChoiceField) and not isinstance(
        form_field, forms.ModelChoiceField
    ):
        label = _choice_label(form_field.choices, bound_field.value())
        if label is not None:
            return label
    if isinstance(value, date):
        return f"{value.day} {value:%B %Y}"
    return str(value)


def selected_filters(form, request) -> list[Category]:
    """The form's valid, non-empty filters, grouped under their labels; each tag's link is the
    page's address without that filter (and at its first page)."""
    cleaned = getattr(form, "cleaned_data", None)
    if not form.is_bound or cleaned is None:
        return []
    params = request.GET
    categories: dict[str, Category] = {}
    checkbox_heading = getattr(form, "filter_checkbox_heading", "Other filters")
    for bound_field in form.visible_fields():
        value = cleaned.get(bound_field.name)
        if value in EMPTY or bound_field.name in form.errors:
            continue
        if isinstance(bound_field.field, forms.BooleanField):
            heading, text = checkbox_heading, str(bound_field.label)
        else:
            heading, text = str(bound_field.label), _text(bound_field, value)
        href = _href(request.path, params, _param_names(form, bound_field))
        categories.setdefault(heading, Category(heading)).tags.append(Tag(text, href))
    return list(categories.values())


def clear_href(form, request) -> str:
    """The page's address without any of the form's filters."""
    names = tuple(
        name for bound_field in form.visible_fields() for name in _param_names(form, bound_field)
    )
    return _href(request.path, request.GET, names)


class FilterLayoutNode(template.Node):
    def __init__(self, form, options, nodelist):
        self.form = form
        self.options = options
        self.nodelist = nodelist

    def render(self, context):
        form = self.form.resolve(context)
        options = {name: value.resolve(context) for name, value in self.options.items()}
        request = context["request"]
        content = self.nodelist.render(context)
        method = str(options.get("method", "get")).lower()
        helper = getattr(form, "helper", None)
        if helper is not None:
            # The panel's own form carries the CSRF token when it is posted, and never in an
            # address when it is not.
            helper.disable_csrf = True
        layout = context.template.engine.get_template("_filter_layout.html")
        with context.push(
            filter_form=form,
            filter_heading=options.get("heading", "Filter"),
            filter_method=method,
            filter_action=options.get("action", ""),
            filter_submit=options.get("submit", "Apply filters"),
            filter_categories=selected_filters(form, request),
            filter_clear=clear_href(form, request),
            filter_hidden=options.get("hidden", ()),
            filter_content=content,
        ):
            return layout.render(context)


@register.tag("filter_layout")
def filter_layout(parser, token):
    """`{% filter_layout form heading=... method=... action=... submit=... hidden=... %}` …
    `{% end_filter_layout %}`: `hidden` is name/value pairs kept in the form as hidden fields."""
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError("filter_layout needs the filter form.")
    form = parser.compile_filter(bits[1])
    rest = bits[2:]
    options = token_kwargs(rest, parser)
    if rest:
        raise template.TemplateSyntaxError(f"filter_layout does not understand {rest[0]!r}.")
    nodelist = parser.parse(("end_filter_layout",))
    parser.delete_first_token()
    return FilterLayoutNode(form, options, nodelist)
