from django.urls import path

from . import views

app_name = "telematics"

urlpatterns = [
    path("", views.home, name="home"),
    path("alerts/", views.AlertList.as_view(), name="alert-list"),
    path("alerts/<id:pk>/", views.alert_detail, name="alert-detail"),
    path("terminals/", views.TerminalList.as_view(), name="terminal-list"),
    path("terminals/new/", views.TerminalCreate.as_view(), name="terminal-create"),
    path("terminals/<id:pk>/", views.terminal_detail, name="terminal-detail"),
    path("terminals/<id:pk>/rotate/", views.terminal_rotate, name="terminal-rotate"),
    path("calendar/", views.calendar, name="calendar"),
    path("geofences/", views.geofence_list, name="geofence-list"),
    path("geofences/new/", views.geofence_form, name="geofence-create"),
    path("geofences/<id:pk>/", views.geofence_form, name="geofence-edit"),
    path("rules/", views.rule_list, name="rule-list"),
    path("vehicles/<id:pk>/track/", views.vehicle_track, name="vehicle-track"),
]
