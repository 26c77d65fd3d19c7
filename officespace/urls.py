from django.urls import path

from . import views

app_name = "officespace"

urlpatterns = [
    path("", views.home, name="home"),
    path("buildings/", views.building_list, name="building-list"),
    path("buildings/new/", views.building_form, name="building-create"),
    path("buildings/<id:pk>/", views.building_detail, name="building-detail"),
    path("buildings/<id:pk>/edit/", views.building_form, name="building-update"),
    path("rooms/", views.room_list, name="room-list"),
    path("rooms/new/", views.room_form, name="room-create"),
    path("rooms/import/", views.room_import, name="room-import"),
    path("rooms/<id:pk>/", views.room_detail, name="room-detail"),
    path("rooms/<id:pk>/edit/", views.room_form, name="room-update"),
    path("rooms/<id:pk>/seat/", views.room_seat, name="room-seat"),
    path("occupancies/<id:pk>/end/", views.occupancy_end, name="occupancy-end"),
    path("occupancies/<id:pk>/post-end/", views.occupancy_post_end, name="occupancy-post-end"),
    path("over-standard/", views.over_standard, name="over-standard"),
    path("over-standard/units/", views.unit_report, name="unit-report"),
    path("over-standard/<id:pk>/", views.assessment_handle, name="assessment-handle"),
    path("disclosure/", views.disclosure, name="disclosure"),
    path("leader-filing/", views.leader_filing, name="leader-filing"),
    path("statistics/", views.statistics, name="statistics"),
    path("standards/", views.standards, name="standards"),
]
