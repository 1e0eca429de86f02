"""What the provider says about its users, and two users whose ID tokens it signs wrong on
purpose (a real signature over a wrong issuer or nonce: what a mix-up or replay looks like)."""

WRONG_ISSUER = "http://127.0.0.1:9/someone-else"


def userinfo(claims, user):
    claims["name"] = user.get_full_name()
    claims["preferred_username"] = user.username
    claims["email"] = user.email
    claims["email_verified"] = True
    return claims


def tamper(id_token, user, **kwargs):
    if user.username == "wrong-issuer":
        id_token["iss"] = WRONG_ISSUER
    if user.username == "wrong-nonce":
        id_token["nonce"] = "a-nonce-from-another-sign-in"
    return id_token
