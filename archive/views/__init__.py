"""The public pages of the archive, one module per thing a reader does.

* :mod:`~archive.views.titles` — the front door, the list of titles, a title's home;
* :mod:`~archive.views.dates` — calendars, the year and month lists, the date box;
* :mod:`~archive.views.issues` — an issue and its printed pages (版面);
* :mod:`~archive.views.articles` — an article with its neighbours, continuation and related articles;
* :mod:`~archive.views.references` — RIS and BibTeX downloads of an article or a page of results;
* :mod:`~archive.views.reporters` and :mod:`~archive.views.topics` — who wrote what, and on what;
* :mod:`~archive.views.search` — the search page and the advanced form;
* :mod:`~archive.views.legacy` — addresses from before the archive held several titles;
* :mod:`~archive.views.site_files` — robots.txt and the favicon;
* :mod:`~archive.views.errors` — the 404 and 500 pages.

What several of them share (pagination, the title in an address) is in
:mod:`~archive.views.common`. Every listing has a fixed order ending in the
primary key, so page N shows the same articles on every visit. Aggregates that
scan the whole archive are computed once per cache generation (see
:mod:`archive.caching`); the pages themselves are cached per URL
(:mod:`archive.pagecache`).
"""
