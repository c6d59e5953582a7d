"""``abuild preview``: a live preview of a report (:mod:`.session`)."""
