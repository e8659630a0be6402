from django.conf import settings


def site(request):
    return {"newspaper_name": settings.NEWSPAPER_NAME, "site_url": settings.SITE_URL}
