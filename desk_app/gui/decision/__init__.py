"""The Decision tab: the statement editor (``editor``) over its sections, header form and
paragraph library, with its own undo commands (``undo``), style, leak list and file opening."""
