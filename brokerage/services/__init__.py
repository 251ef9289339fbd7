"""Writes to brokerage, one module a part of it.

- `common`: the permissions the services ask for, the check that a record is the council's own,
  the note on the child's package.
- `requests`: raising, changing, sending and withdrawing a request.
- `answers`: providers' answers and each answer's outcome.
- `awards`: each DPS's scoring weights, the award, and a spot purchase.
"""
