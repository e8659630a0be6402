from django.conf import settings
from django.core.exceptions import DisallowedHost

from archive import params
from archive.addresses import site_root


def paper_name(article=None) -> str:
    """The newspaper's name, as pages, titles and citations print it."""
    return settings.NEWSPAPER_NAME


def site(request):
    """Site name and the canonical address of the current page.

    The canonical address is the path plus the page number of a paginated
    listing (other query parameters are views of the same page).
    """
    canonical = request.path
    # A bad page number is the view's to refuse (400); this runs on every
    # page, the error and admin pages included, and must not fail.
    page = params.page_or_none(request.GET)
    if page and page > 1:
        canonical += f"?page={page}"
    try:
        root = site_root(request)
    except DisallowedHost:
        # The 400 page of a request for a host the archive does not serve:
        # its links stay relative rather than naming that host.
        root = ""
    return {
        "newspaper_name": paper_name(),
        "site_url": root,
        "canonical_url": root + canonical,
    }
