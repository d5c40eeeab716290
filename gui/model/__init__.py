"""What the window shows, worked out in plain Python (no Qt): playback of a record's steps
(`flow`, `captions`), runs, big-graph decisions, themes' colours, failures as sentences."""
