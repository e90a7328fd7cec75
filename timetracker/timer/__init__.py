"""The timer widget's sessions: the state machine, its storage and its summaries."""
