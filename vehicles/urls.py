from django.urls import path

from . import views

app_name = "vehicles"

urlpatterns = [
    path("", views.home, name="home"),
    path("vehicles/", views.VehicleList.as_view(), name="vehicle-list"),
    path("vehicles/new/", views.VehicleEdit.as_view(), name="vehicle-create"),
    path("vehicles/purchase-check/", views.purchase_check, name="purchase-check"),
    path("vehicles/import/", views.vehicle_import, name="vehicle-import"),
    path("vehicles/<id:pk>/", views.VehicleDetail.as_view(), name="vehicle-detail"),
    path("vehicles/<id:pk>/edit/", views.VehicleEdit.as_view(), name="vehicle-update"),
    path("vehicles/<id:pk>/status/", views.VehicleStatusChange.as_view(), name="vehicle-status"),
    path("vehicles/<id:pk>/photo/", views.VehiclePhotoUpload.as_view(), name="vehicle-photo"),
    path("photos/<id:pk>/", views.photo_file, name="photo"),
    path("vehicles/<id:pk>/records/new/", views.RecordCreate.as_view(), name="record-create"),
    path("drivers/", views.DriverList.as_view(), name="driver-list"),
    path("drivers/new/", views.DriverEdit.as_view(), name="driver-create"),
    path("drivers/<id:pk>/edit/", views.DriverEdit.as_view(), name="driver-update"),
    path("board/", views.board, name="board"),
    path("board/<id:ticket_id>/assign/", views.assign, name="assign"),
    path("dispatches/<id:pk>/depart/", views.Depart.as_view(), name="depart"),
    path("dispatches/<id:pk>/cancel/", views.Cancel.as_view(), name="cancel"),
    path("reviews/", views.reviews, name="reviews"),
    path("statistics/", views.Statistics.as_view(), name="statistics"),
    path("renewal/", views.Renewal.as_view(), name="renewal"),
]
