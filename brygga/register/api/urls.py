from django.urls import path
from drf_spectacular.views import SpectacularAPIView

from brygga.register.api.views import CompanyDetailView, CompanyListView

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("v1/companies/", CompanyListView.as_view(), name="api-company-list"),
    path("v1/companies/<str:org_number>/", CompanyDetailView.as_view(), name="api-company-detail"),
]
