from django.urls import path

from reviews import webhooks

app_name = "reviews"
urlpatterns = [path("webhooks/silver/", webhooks.silver, name="silver_webhook")]
