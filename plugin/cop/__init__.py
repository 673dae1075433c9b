"""The CoP toolbox's own records and rules: the journal, the meeting calendar, the group's composition,
facilitator answers. Commands and workflow steps both use these; nothing here knows about HTTP."""
