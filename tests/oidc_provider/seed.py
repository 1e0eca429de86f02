"""The provider's signing key, Kithkin as its client, and its users."""

import sys

import django


def seed(client_id: str, client_secret: str, redirect_uri: str, password: str) -> None:
    from django.contrib.auth.models import User
    from django.core.management import call_command
    from oidc_provider.models import Client, ResponseType

    call_command("creatersakey")
    client = Client.objects.create(
        name="Kithkin",
        client_type="confidential",
        client_id=client_id,
        client_secret=client_secret,
        jwt_alg="RS256",
        require_consent=False,
        _redirect_uris=redirect_uri,
    )
    client.response_types.add(ResponseType.objects.get(value="code"))
    for username, first, last in [
        ("alice", "Alice", "Example"),
        ("bob", "Bob", "Example"),
        ("wrong-issuer", "Mallory", "Issuer"),
        ("wrong-nonce", "Mallory", "Nonce"),
    ]:
        User.objects.create_user(
            username,
            email=f"{username}@example.org",
            password=password,
            first_name=first,
            last_name=last,
        )


if __name__ == "__main__":
    django.setup()
    seed(*sys.argv[1:5])
