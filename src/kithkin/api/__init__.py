"""Kithkin's REST API (Django Ninja) at /api/v1/: an interface like web/ and cli/, which it
never imports (import-linter checks). Translation only: every read through queries/, every
write through the services, every record through access.py with the caller's actor. See
docs/api.md.

Adding a record's endpoints (``circles.py`` is the example to copy):

1. a module here with ``router = Router(tags=[...])`` and its operations at paths relative
   to the network (``/people``, ``/people/{int:person_id}``); each takes
   ``network_id: Path[int]`` (for the schema) and reads ``grant(request)`` — the network
   is already resolved, 404 outside the token's reach, 403 for a write the token or the
   role forbids (by HTTP method: POST, PUT, PATCH, DELETE are writes);
2. records by id through ``access.<record>_for(grant.actor.user, grant.network, id)``;
   writes through the service the web and the CLI call; shapes from ``kithkin.schemas``;
   ``response=reading(Shape)`` or ``writing(Shape)`` documents the problems;
3. add the router to ``app.NETWORK_ROUTERS``. The outsider sweep (tests/api) then calls
   the new operations as every outsider and every read token, from the schema alone.
"""
