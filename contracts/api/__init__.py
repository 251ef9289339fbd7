"""The contracts API under /api/v1/, one module a topic."""
