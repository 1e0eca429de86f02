"""CardDAV at /dav/ (docs/carddav.md): one address book per network the user belongs to."""
