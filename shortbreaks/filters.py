"""One filter for each big list, declared once and used by its page and by its API.

A list's `ListFilterSet` (in its app's `filters.py`) says what each query parameter does to the
list; its form is the list's page form, a `shortbreaks.filter_forms.FilterForm`, named in
`Meta.form`. A field the form declares is the one both use (its GOV.UK label, choices and error
messages), so the page's filter panel (`{% filter_layout %}`) keeps its ids, layout and
"selected filter" tags; a filter the form does not declare brings its own field.

A filter only ever narrows the queryset it is given, which the list's selector has already
scoped to the actor's council: an id of another council's record narrows to nothing.

    filterset = ReferralFilter.for_page(request, selectors.referral_list(actor=request.user))
    filterset.qs        # the rows the valid filters keep (a filter that is not valid is not used)
    filterset.form      # the filter panel's form, showing its errors
    filterset.applied   # the valid filters given, by parameter name (for the log and the links)

The API view names it in `filterset_class` (with `DjangoFilterBackend`, the default backend): a
filter that is not valid answers 400 with the field's errors.
"""

from __future__ import annotations

import django_filters
from django import forms
from django.utils.http import urlencode
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from shortbreaks.filter_forms import FilterForm

MAX_ID = 2**63 - 1
EMPTY = (None, "", False, [], ())


@extend_schema_field(OpenApiTypes.INT)
class IdFilter(django_filters.NumberFilter):
    """A whole-number id in the database's range, so a huge number is a 400 and not a crash."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(*args, **kwargs)


class YesNoField(forms.BooleanField):
    """A yes or no given in an address: `true`, `on`, `1` or `yes`; `false`, `off`, `0`, `no` or
    nothing. Anything else is an error, not a yes."""

    TRUE = ("true", "on", "1", "yes")
    FALSE = ("false", "off", "0", "no", "")

    def to_python(self, value):
        if isinstance(value, bool):
            return value
        text = str(value).strip().lower() if value is not None else ""
        if text in self.TRUE:
            return True
        if text in self.FALSE:
            return False
        raise forms.ValidationError("Enter true or false.", code="invalid")


class CheckboxFilter(django_filters.BooleanFilter):
    """A checkbox: ticked narrows the list with `method`; not ticked leaves it as it is. The
    page's form ticks it; the API reads it as a strict yes or no."""

    field_class = YesNoField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", forms.TextInput)
        super().__init__(*args, **kwargs)


class ListFilterSet(django_filters.FilterSet):
    """The base of each list's filter (see the module's docstring)."""

    # Fields of the form that only the page reads (a date in three boxes, a choice from a list
    # the page shows); the API reads these parameters, and every checkbox, with the filter's own
    # field.
    page_only_fields: tuple[str, ...] = ()

    class Meta:
        form = FilterForm

    def __init__(self, *args, on_page: bool = False, **kwargs):
        self.on_page = on_page
        super().__init__(*args, **kwargs)

    @classmethod
    def for_page(cls, request, queryset, **kwargs):
        """The filter of a page's query string (unbound when it has none), validated so the
        panel shows its errors."""
        filterset = cls(
            request.GET or None, queryset=queryset, request=request, on_page=True, **kwargs
        )
        if filterset.is_bound:
            filterset.form.is_valid()
        return filterset

    def get_form_class(self):
        declared = set(self._meta.form.base_fields)
        if not self.on_page:
            checkboxes = {n for n, f in self.filters.items() if isinstance(f, CheckboxFilter)}
            declared -= {*self.page_only_fields, *checkboxes}
        fields = {
            name: filter_.field for name, filter_ in self.filters.items() if name not in declared
        }
        return type(f"{type(self).__name__}Form", (self._meta.form,), fields)

    def form_kwargs(self) -> dict:
        """What the list's form is made with, beside the data (a form that needs more says)."""
        return {}

    @property
    def form(self):
        if not hasattr(self, "_form"):
            form_class = self.get_form_class()
            kwargs = {"prefix": self.form_prefix, **self.form_kwargs()}
            self._form = form_class(self.data, **kwargs) if self.is_bound else form_class(**kwargs)
        return self._form

    def filter_queryset(self, queryset):
        """Each filter with its valid value; a checkbox not ticked, or a field of the form's own
        that is no filter (kept for the page), narrows nothing."""
        for name, value in self.form.cleaned_data.items():
            filter_ = self.filters.get(name)
            if filter_ is None or (isinstance(filter_, CheckboxFilter) and not value):
                continue
            queryset = filter_.filter(queryset, value)
        return queryset

    @property
    def applied(self) -> dict[str, str]:
        """The valid, non-empty filters as given in the query string, by parameter name."""
        if not self.is_bound:
            return {}
        self.form.is_valid()
        form, applied = self.form, {}
        for name in self.filters:
            if form.cleaned_data.get(name) in EMPTY or name in form.errors:
                continue
            bound_field = form[name]
            suffixes = getattr(bound_field.field.widget, "widgets_names", None)
            params = [f"{bound_field.html_name}{suffix}" for suffix in suffixes or ("",)]
            applied.update({param: self.data.get(param) for param in params})
        return applied

    @property
    def query(self) -> str:
        """`applied` as a query string, for a page's export links and its other pages."""
        return urlencode(self.applied)
