from django.urls import path

from mailbag import views

urlpatterns = [
    path("send/<int:page_id>/", views.send_letter, name="mailbag-send"),
]
