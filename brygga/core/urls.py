from django.urls import path

from brygga.core import views, views_outbox

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("hantera/utskick/", views_outbox.outbox, name="outbox"),
    path("hantera/utskick/<int:pk>/", views_outbox.outbox_message, name="outbox_message"),
]
