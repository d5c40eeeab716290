"""The graph: the Qt scene built from a record's layout, its items and edges, the view that
zooms and pans it, the summary for graphs too big to draw, and rendering to pictures."""
