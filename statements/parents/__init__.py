"""The parent portal: parent carers' own pages on a council's public site (sign up, sign in, their
account, the targeted grant self-assessment, their applications and children).

`views` holds the pages and their URL patterns (named in the `statements` namespace), `forms` the
forms, `services` signing up (limits, the confirmation link and the emails).
"""
