"""The home page's work tray (`worktray.trays`): it reads every domain app, so it sits above
them all and nothing but the settings names it."""
