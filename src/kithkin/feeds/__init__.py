"""Calendar feeds behind secret URLs (docs/feeds.md): an interface, like web/, api/ and
cli/, over ``services.feeds`` (the secret) and ``queries.feed`` (what it holds)."""
