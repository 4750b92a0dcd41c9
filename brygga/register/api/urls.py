from django.urls import path

from brygga.register.api.views import CompanyDetailView, CompanyListView

urlpatterns = [
    path("companies/", CompanyListView.as_view(), name="api-company-list"),
    path("companies/<str:org_number>/", CompanyDetailView.as_view(), name="api-company-detail"),
]
