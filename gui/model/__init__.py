"""What the window shows, worked out in plain Python (no Qt): the one playback model of a
record's steps (`playback`: frames; `flow` its edge maps, `captions` its sentences), runs,
big-graph decisions, themes' colours, failures as sentences."""
