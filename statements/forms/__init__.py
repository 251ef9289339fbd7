"""The statement's forms: `staff` (the written sections, consultation, review), `public` (carers'
feedback) and `directory` (the public directory's filters)."""
