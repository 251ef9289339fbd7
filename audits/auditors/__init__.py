"""External auditors: people outside the council it invites by email to see the evidence packs
it shares with them (`audits.packs`)."""
