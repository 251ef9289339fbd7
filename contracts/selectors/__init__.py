"""Reads of DPS, contracts, extensions, monitoring and spend, scoped to the actor's council.

A joint contract is read by its lead council and by every council that accepted the lead's
invitation to take part (`contracts_visible_to`, the one place that rule lives); an invited
council sees nothing of it until its commissioner accepts. Only the lead council changes it
(`access_contract_for_change`).

One module a part:

- `visibility`: which contracts a council may read (those it leads, joint ones it accepted).
- `dps`: reads of dynamic purchasing systems and their memberships.
- `register`: the contracts register: the list, one contract and its parts, the work tray's counts.
- `overrun`: package lines running past their contract's end.
- `extensions`: reads of contract extensions.
- `monitoring`: monitoring records, KPI returns and the spend lines' outturns.
- `participation`: joint contracts: the councils invited to take part and their answers.
"""
