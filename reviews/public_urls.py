"""The public's pages of public notices (Art. 8-3): no login."""

from django.urls import path

from reviews.views import notices

app_name = "notices"

urlpatterns = [
    path("", notices.public_notice_list, name="list"),
    path("<int:pk>/", notices.public_notice_detail, name="detail"),
    path("<int:pk>/receipt/<str:receipt_no>/", notices.public_receipt, name="receipt"),
    path("objections/lookup/", notices.public_objection_lookup, name="objection_lookup"),
]
