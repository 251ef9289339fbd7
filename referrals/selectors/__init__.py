"""Reads of children and their journey, scoped to the actor's active council, one module a part.

Whoever may not read children's records (a commissioner, a contract manager) gets no child from
these at all, whatever page asks; they get `aggregates`, which holds no name or identifier.

- `common`: the permission to read children, working days, the council's rows.
- `children`: the children list, possible duplicates, one child's record and its parts.
- `notes`: case notes.
- `referrals`, `documents`, `assessments`, `packages`, `reviews`, `grants`: each record's reads.
- `timeline`: the child's timeline.
- `caseload`: caseloads, the authorisation queue, the work tray's counts, who holds a caseload.
- `overnights`: overnight stays and the children near the looked-after thresholds.
- `aggregates`: counts, hours and costs for commissioners.
- `parents`: what a parent carer account may read.
- `census`: the children a children in need census return counts.
"""
