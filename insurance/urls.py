from django.urls import path

from insurance import views

app_name = "insurance"
urlpatterns = [
    path("insurance/", views.cards, name="cards"),
    path("insurance/<str:coverage>/delete/", views.card_delete, name="card_delete"),
    path("claims/<str:claim_number>/insurer/", views.check_new, name="check_new"),
    path("claims/<str:claim_number>/insurer/<uuid:check_id>/", views.check_detail, name="check_detail"),
    path("claims/<str:claim_number>/insurer/<uuid:check_id>/attach/", views.check_attach, name="check_attach"),
]
