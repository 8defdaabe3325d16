"""The admin is the clinic's front desk: its name, and where "View site" leads."""

from django.contrib import admin

admin.site.site_header = "Clinic front desk"
admin.site.site_title = "Clinic front desk"
admin.site.index_title = "Front desk"
admin.site.site_url = "/"
