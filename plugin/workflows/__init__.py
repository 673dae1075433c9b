"""The engine's shell: workflows on the database — catalog, enablement, runs, timers, events."""
