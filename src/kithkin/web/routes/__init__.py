"""URL patterns by subject, each included from kithkin.web.urls."""
