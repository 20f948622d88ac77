"""What outlives a session: the saved case (``casefile``, a .deskcase) and the crash-safe
autosave of unsaved work (``autosave``)."""
