"""The Review tab: the case's documents with every detection marked (``document_view``), the
people found (``people_model``, ``person_dialog``), the panel that holds them (``panel``), and
what export shows (``export_dialogs``, ``leaks``)."""
