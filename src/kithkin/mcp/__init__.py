"""MCP: Kithkin's tools for assistants, defined once (``tools.py``) and served two ways:
`kith mcp` over stdio as the local user (``stdio.py``), and ``/mcp/`` over HTTP with a
personal access token (``http.py``). An interface like web, cli and api: it calls the same
services and queries, and imports none of the other interfaces."""
