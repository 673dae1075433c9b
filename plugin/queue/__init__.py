"""RQ wiring: Redis connections, the one hand-off function, jobs and the due-work sweeper."""
