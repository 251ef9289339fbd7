"""The statement's pages: `staff` (under /statements/manage/) and `public` (the directory and the
published statement, no sign-in)."""
