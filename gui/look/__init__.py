"""How the window looks: fonts, style sheet and palette (`appearance`) and drawn icons."""
