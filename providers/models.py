"""Providers, their regulator registrations and their services (the offer, with capacity)."""
