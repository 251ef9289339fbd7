"""Open Referral UK (HSDS 3.0, UK profile): each council's published services for other directories.

`api` holds the read-only JSON views and their routes, `urls` the URLconf (namespace
`openreferral`), `hsds` the pure functions that build records, `selectors` the reads it alone needs.
"""
