"""Children, referrals, assessments, panels, packages, reviews, grants and the tier journey."""
