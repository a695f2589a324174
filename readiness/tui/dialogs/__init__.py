"""Modal dialogs: confirmation, waiver."""
