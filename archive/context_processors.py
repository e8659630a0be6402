from django.conf import settings

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
    page = request.GET.get("page", "")
    if page.isdigit() and int(page) > 1:
        canonical += f"?page={int(page)}"
    root = site_root(request)
    return {
        "newspaper_name": paper_name(),
        "site_url": root,
        "canonical_url": root + canonical,
    }
