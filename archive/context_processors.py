from django.conf import settings
from django.core.exceptions import DisallowedHost

from archive import params
from archive.addresses import site_root
from archive.models import paper_slugs


def several_papers() -> bool:
    """Whether the archive holds more than one title: lists that mix titles
    then name each article's paper. A callable, so only pages that ask pay."""
    return len(paper_slugs()) > 1


def paper_name(article=None) -> str:
    """The name pages and citations print: an article's own paper, else the
    archive's name (the title the NEWSPAPER_NAME setting names)."""
    if article is not None:
        return article.paper.name
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
        "several_papers": several_papers,
        "site_url": root,
        "canonical_url": root + canonical,
    }
