from django.urls import path

from . import views

app_name = "vehicles"

urlpatterns = [
    path("", views.home, name="home"),
    path("vehicles/", views.vehicle_list, name="vehicle-list"),
    path("vehicles/new/", views.vehicle_form, name="vehicle-create"),
    path("vehicles/purchase-check/", views.purchase_check, name="purchase-check"),
    path("vehicles/import/", views.vehicle_import, name="vehicle-import"),
    path("vehicles/<int:pk>/", views.vehicle_detail, name="vehicle-detail"),
    path("vehicles/<int:pk>/edit/", views.vehicle_form, name="vehicle-update"),
    path("vehicles/<int:pk>/status/", views.vehicle_status, name="vehicle-status"),
    path("vehicles/<int:pk>/photo/", views.vehicle_photo, name="vehicle-photo"),
    path("photos/<int:pk>/", views.photo_file, name="photo"),
    path("vehicles/<int:pk>/records/new/", views.record_form, name="record-create"),
    path("vehicles/<int:pk>/dispose/", views.dispose, name="vehicle-dispose"),
    path("drivers/", views.driver_list, name="driver-list"),
    path("drivers/new/", views.driver_form, name="driver-create"),
    path("drivers/<int:pk>/edit/", views.driver_form, name="driver-update"),
    path("board/", views.board, name="board"),
    path("board/<int:ticket_id>/assign/", views.assign, name="assign"),
    path("dispatches/<int:pk>/depart/", views.depart, name="depart"),
    path("dispatches/<int:pk>/cancel/", views.cancel, name="cancel"),
    path("reviews/", views.reviews, name="reviews"),
    path("statistics/", views.statistics, name="statistics"),
    path("renewal/", views.renewal, name="renewal"),
]
