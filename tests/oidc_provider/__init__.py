"""A real OpenID Connect provider for the single sign-on tests: django-oidc-provider (a
maintained OP implementation: discovery, authorize with PKCE, token, JWKS, RS256 ID
tokens) in a Django project of its own, run as a separate process (``provider.py``)."""
