from django.urls import path

from . import views, views_collab

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("new/<str:kind_code>/", views.file_new, name="new"),
    path("mine/", views.MyRequests.as_view(), name="mine"),
    path("all/", views.AllRequests.as_view(), name="all"),
    path("inbox/", views.Inbox.as_view(), name="inbox"),
    path("inbox/bulk-approve/", views.bulk_approve, name="bulk-approve"),
    path("handling/", views.Handling.as_view(), name="handling"),
    path("notifications/", views.Notifications.as_view(), name="notifications"),
    path("notifications/<id:pk>/", views.open_notification, name="notification"),
    path("tickets/<id:pk>/", views.TicketPage.as_view(), name="ticket"),
    path("tickets/<id:pk>/edit/", views.ticket_edit, name="edit"),
    path("tickets/<id:pk>/submit/", views.Submit.as_view(), name="submit"),
    path("tickets/<id:pk>/decide/", views.decide, name="decide"),
    path("tickets/<id:pk>/hand-on/", views.HandOn.as_view(), name="hand-on"),
    path("tickets/<id:pk>/withdraw/", views.Withdraw.as_view(), name="withdraw"),
    path("tickets/<id:pk>/start/", views.Start.as_view(), name="start"),
    path("tickets/<id:pk>/complete/", views.complete, name="complete"),
    path("tickets/<id:pk>/rate/", views.Rate.as_view(), name="rate"),
    path("tickets/<id:pk>/comment/", views.Comment.as_view(), name="comment"),
    path("tickets/<id:pk>/attachments/<id:entry_id>/", views.attachment, name="attachment"),
    path("tickets/<id:pk>/assist/", views_collab.assist_ask, name="assist-ask"),
    path("tickets/<id:pk>/supervise/", views_collab.supervise, name="supervise"),
    *(
        path(f"assists/<id:pk>/{action}/", views_collab.assist_answer, {"action": action}, name=f"assist-{action}")
        for action in ("complete", "decline", "withdraw")
    ),
    path("supervision/", views_collab.SupervisionList.as_view(), name="supervision"),
    path("bundles/", views_collab.Bundles.as_view(), name="bundles"),
    path("bundles/new/<str:code>/", views_collab.bundle_new, name="bundle-new"),
    path("bundles/<id:pk>/", views_collab.BundlePage.as_view(), name="bundle"),
    path("bundles/<id:pk>/withdraw/", views_collab.BundleWithdraw.as_view(), name="bundle-withdraw"),
]
