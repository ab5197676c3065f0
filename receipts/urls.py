from django.urls import path

from receipts import views

app_name = "receipts"

urlpatterns = [
    path("receipts/", views.receipt_list, name="receipt_list"),
    path("receipts/<str:external_id>/download/", views.download, name="download"),
]
