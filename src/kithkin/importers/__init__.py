"""Formats in: each parser turns a file into plain records (no database), a planner
matches them to the network, an applier writes the plan in one transaction."""
