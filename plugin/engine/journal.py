"""The kinds of journal entry a workflow can record (the `record` step) and the toolbox keeps."""

from __future__ import annotations

from enum import StrEnum


class EntryKind(StrEnum):
    """What a journal entry records; see :mod:`plugin.cop.journal`."""

    SIGNAL = "signal"            # an urgency signal (step 1)
    DOMAIN = "domain"            # an adopted version of the domain statement (step 1)
    CANVAS = "canvas"            # the outcome canvas (step 1)
    DECISION = "decision"        # a group decision with its outcome (step 5)
    GOAL = "goal"                # a personal learning goal (step 5, private)
    EVALUATION = "evaluation"    # a meeting's closing evaluation (step 6)
    AMBITION = "ambition"        # a check against the domain statement (step 6)
    TIS = "tis"                  # a system-analysis check of the seven TIS functions (step 6)
    COALITION = "coalition"      # a coalition or joint initiative between organisations (step 6)
    HIGHLIGHT = "highlight"      # a member's highlight of a meeting (step 6, private)
    LOG = "log"                  # a personal logbook line (step 7, private)
    BACKCAST = "backcast"        # a backcasting timeline (step 7)
    EXPERIMENT = "experiment"    # an experiment between meetings (step 7)
