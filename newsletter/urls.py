from django.urls import path

from newsletter import views

urlpatterns = [
    path("subscribe/", views.subscribe, name="newsletter-subscribe"),
    path("sent/", views.sent, name="newsletter-sent"),
    path("confirm/<str:token>/", views.confirm, name="newsletter-confirm"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="newsletter-unsubscribe"),
]
