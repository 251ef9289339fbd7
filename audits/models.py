"""Internal audit recommendations and evidence packs."""
