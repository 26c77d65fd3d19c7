from django.urls import path

from . import views

app_name = "vehicles"

urlpatterns = [
    path("", views.home, name="home"),
    path("vehicles/", views.vehicle_list, name="vehicle-list"),
    path("vehicles/new/", views.vehicle_form, name="vehicle-create"),
    path("vehicles/purchase-check/", views.purchase_check, name="purchase-check"),
    path("vehicles/import/", views.vehicle_import, name="vehicle-import"),
    path("vehicles/<id:pk>/", views.vehicle_detail, name="vehicle-detail"),
    path("vehicles/<id:pk>/edit/", views.vehicle_form, name="vehicle-update"),
    path("vehicles/<id:pk>/status/", views.vehicle_status, name="vehicle-status"),
    path("vehicles/<id:pk>/photo/", views.vehicle_photo, name="vehicle-photo"),
    path("photos/<id:pk>/", views.photo_file, name="photo"),
    path("vehicles/<id:pk>/records/new/", views.record_form, name="record-create"),
    path("vehicles/<id:pk>/dispose/", views.dispose, name="vehicle-dispose"),
    path("drivers/", views.driver_list, name="driver-list"),
    path("drivers/new/", views.driver_form, name="driver-create"),
    path("drivers/<id:pk>/edit/", views.driver_form, name="driver-update"),
    path("board/", views.board, name="board"),
    path("board/<id:ticket_id>/assign/", views.assign, name="assign"),
    path("dispatches/<id:pk>/depart/", views.depart, name="depart"),
    path("dispatches/<id:pk>/cancel/", views.cancel, name="cancel"),
    path("reviews/", views.reviews, name="reviews"),
    path("statistics/", views.statistics, name="statistics"),
    path("renewal/", views.renewal, name="renewal"),
]
