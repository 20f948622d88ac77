"""The side-by-side compare window (``window``) and its two panes (``panes``)."""
