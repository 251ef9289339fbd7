"""Sufficiency: places against demand by contract lot and by area (`views`, `api`, worked out
in `selectors`). It reads contracts, providers, referrals, bookings and brokerage, so it sits
above them all."""
