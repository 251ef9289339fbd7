"""The short breaks services statement, its versions and the public pages."""
