"""The path to vaststelling: the review history in report.yaml
(:mod:`.history`), where a report stands and what blocks its next step
(:mod:`.status`), and recording a step (:mod:`.advance`, :mod:`.yamledit`,
:mod:`.git`)."""
