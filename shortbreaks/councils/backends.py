"""Django's model permissions, read in one query.

Roles give the rights (shortbreaks.permissions, through `rules`, asked first); a few named model
permissions are still granted to a person or a group by hand (`audits.view_child_names`). Django's
ModelBackend reads a person's own permissions and their groups' in two queries, once a request, on
any page that asks for one the rules refuse (the navigation does, for every role's links). This
reads both at once; the answers, the superuser's included, are Django's.
"""

from __future__ import annotations

from django.contrib.auth import backends
from django.contrib.auth.models import Permission
from django.db.models import Q


class ModelBackend(backends.ModelBackend):
    def get_all_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, "_perm_cache"):
            found = Permission.objects.all()
            if not user_obj.is_superuser:
                found = found.filter(Q(user=user_obj) | Q(group__user=user_obj))
            user_obj._perm_cache = {
                f"{app_label}.{codename}"
                for app_label, codename in found.order_by()
                .values_list("content_type__app_label", "codename")
                .distinct()
            }
        return user_obj._perm_cache
