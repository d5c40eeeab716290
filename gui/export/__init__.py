"""Pictures and handouts for slides and notes: PNG/SVG/PDF, GIFs and the handout PDF."""
