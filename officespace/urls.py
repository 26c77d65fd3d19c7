from django.urls import path

from . import pages, views

app_name = "officespace"

urlpatterns = [
    path("", views.home, name="home"),
    path("buildings/", views.BuildingList.as_view(), name="building-list"),
    path("buildings/new/", views.BuildingFormView.as_view(), name="building-create"),
    path("buildings/<id:pk>/", views.building_detail, name="building-detail"),
    path("buildings/<id:pk>/edit/", views.BuildingFormView.as_view(), name="building-update"),
    path("rooms/", views.RoomList.as_view(), name="room-list"),
    path("rooms/new/", views.RoomFormView.as_view(), name="room-create"),
    path("rooms/import/", views.room_import, name="room-import"),
    path("rooms/<id:pk>/", views.room_detail, name="room-detail"),
    path("rooms/<id:pk>/edit/", views.RoomFormView.as_view(), name="room-update"),
    path("rooms/<id:pk>/seat/", views.RoomSeat.as_view(), name="room-seat"),
    path("occupancies/<id:pk>/end/", views.OccupancyEnd.as_view(), name="occupancy-end"),
    path("over-standard/", views.OverStandard.as_view(), name="over-standard"),
    path("take-back/", views.TakeBack.as_view(), name="take-back"),
    path("repairs/", views.Repairs.as_view(), name="repairs"),
    path("over-standard/units/", views.UnitReport.as_view(), name="unit-report"),
    path("over-standard/<id:pk>/", views.AssessmentHandle.as_view(), name="assessment-handle"),
    path("disclosure/", views.Disclosure.as_view(), name="disclosure"),
    path("leader-filing/", views.LeaderFiling.as_view(), name="leader-filing"),
    path("statistics/", views.statistics, name="statistics"),
    path("standards/", views.standards, name="standards"),
    path("bookings/", pages.Bookings.as_view(), name="bookings"),
    path("bookings/<id:pk>/cancel/", pages.BookingCancel.as_view(), name="booking-cancel"),
]
