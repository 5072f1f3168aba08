"""The admin site: superusers only, as DESIGN.md's table says ("/admin/: superusers only").

Django's own site lets in any active staff user; here `is_staff` alone opens nothing, so a user
flagged staff by mistake cannot see the users, memberships or reference data of every city.
"""

from django.contrib.admin import AdminSite


class SuperuserAdminSite(AdminSite):
    site_header = "Compact Tracker administration"
    site_title = "Compact Tracker admin"
    index_title = "Records, reference data, users and memberships"

    def has_permission(self, request) -> bool:
        return request.user.is_active and request.user.is_superuser
