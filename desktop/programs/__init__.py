"""Recognition programs: saved, repeatable ways to find the members who earned a badge (issue 22).

A program names a source of candidates (:mod:`desktop.programs.sources`), optional
rule conditions on top (:mod:`desktop.rules`), the badge, an optional alumni badge,
the award message and a cadence; each run belongs to one period of that cadence
("2026-W49", "2026-Q4") and never awards twice in the same period.
"""
