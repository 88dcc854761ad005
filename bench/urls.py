"""The site's URLs plus the benchmark's trivial Django view (`make bench` only)."""

from django.http import HttpResponse
from django.urls import path

from config import urls as site_urls


def trivial(request):
    """The least a Django view can do under the site's middleware: a fixed short answer."""
    return HttpResponse("<!doctype html><title>Trivial</title><p>Trivial</p>")


urlpatterns = [path("__bench__/trivial/", trivial, name="bench_trivial"), *site_urls.urlpatterns]
handler400 = site_urls.handler400
