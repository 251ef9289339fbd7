"""Writes to children and their journey, one module a part of it.

Every status change is a named function that checks the current state (raising
`TransitionNotAllowed` with the reason), writes a dated event for the child's timeline, then makes
one change.

- `common`: the permissions the services ask for and the check that a record is the council's own.
- `children`: recording and correcting a child, and the child's tier (`child_tier_change`).
- `carers`: a child's carers, and linking them to parents' online accounts.
- `referrals`: receiving a referral, screening it to an outcome, closing the episode.
- `documents`: forms and letters attached to a referral.
- `grants`: targeted grant schemes, applications, decisions and payments.
- `assessments`: starting, completing, returning and authorising assessments.
- `packages`: packages of support, their lines, commissioning, the panel and delivery.
- `overnights`: overnight stays.
- `reviews`: reviews of packages.
- `parents`: parent carer accounts and online applications.
- `notes`: case notes.
- `merges`: merging duplicate records of one child.
"""
