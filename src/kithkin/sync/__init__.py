"""Accounts that log interactions by themselves (issue 16): a mail box read over IMAP, a
CalDAV calendar, a calendar URL. Each kind has one sync function taking a `SyncSource` and
returning a `SyncOutcome`; the worker calls them on a schedule per account."""
