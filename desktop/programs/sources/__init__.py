"""Where a program's candidates come from: a leaderboard, liked posts, a topic, a list, tenure.

Each source reads the cache, a file or the server (through the dialect's ports,
offered only where the server has them) and answers a :class:`~desktop.programs.sources.base.SourceResult`.

The sources that need no activity API, read on a worker:

* :class:`~desktop.programs.sources.tenure.TenureSource` ``(years, seen_within_days)``:
  ``.read(cache, first, last, now=…, tz=…)`` for the period's first and last local day;
* :class:`~desktop.programs.sources.listed.ListedSource` ``(path, column)``:
  ``.read(cache, kept)`` → :class:`~desktop.programs.sources.listed.ListedRead`: the result
  and ``keep``, the JSON value to store with the program when the run's batch is queued and
  to pass as ``kept`` next time.
"""
