"""Qt widgets, models and workers over desk_app.core (see the workspace issue)."""
