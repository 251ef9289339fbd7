"""DPS and memberships, contracts, lots, awards, extensions and approvals, monitoring, spend."""
