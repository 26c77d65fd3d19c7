from django.urls import path

from . import views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("new/<str:kind_code>/", views.file_new, name="new"),
    path("mine/", views.my_requests, name="mine"),
    path("all/", views.all_requests, name="all"),
    path("inbox/", views.inbox, name="inbox"),
    path("inbox/bulk-approve/", views.bulk_approve, name="bulk-approve"),
    path("handling/", views.handling, name="handling"),
    path("notifications/", views.notifications, name="notifications"),
    path("notifications/<int:pk>/", views.open_notification, name="notification"),
    path("tickets/<int:pk>/", views.ticket_page, name="ticket"),
    path("tickets/<int:pk>/edit/", views.ticket_edit, name="edit"),
    path("tickets/<int:pk>/submit/", views.submit, name="submit"),
    path("tickets/<int:pk>/decide/", views.decide, name="decide"),
    path("tickets/<int:pk>/hand-on/", views.hand_on, name="hand-on"),
    path("tickets/<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("tickets/<int:pk>/start/", views.start, name="start"),
    path("tickets/<int:pk>/complete/", views.complete, name="complete"),
    path("tickets/<int:pk>/rate/", views.rate, name="rate"),
    path("tickets/<int:pk>/comment/", views.comment, name="comment"),
    path("tickets/<int:pk>/attachments/<int:entry_id>/", views.attachment, name="attachment"),
]
