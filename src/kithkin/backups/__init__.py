"""Backups of the whole install (docs/backups.md): ``make`` (a consistent copy while the
server writes, optionally encrypted by ``crypto``), ``restore`` (verify into a temporary
place; restore into an empty install), ``schedule`` (the worker's daily backup, retention,
and the status Settings and `kith doctor` show). ``files`` keeps every file private.

It sits beside ``transfer`` (above the services and the formats): a JSON backup is the
exporters' Kithkin JSON of every network, and restoring one goes through its importer.
A backup is of the install, not of a network: the command line (whoever can read the data
directory or the database's credentials) makes and restores them; the web only shows
their status, to the install's administrators (``schedule.sees_status``).
"""
