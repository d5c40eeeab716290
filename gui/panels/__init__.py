"""The widgets around the graph: editor, player, inspector, chain-rule panel, transcript,
runs strip, trust bar and the small dialogs."""
