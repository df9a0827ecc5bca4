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

The activity sources, read on a worker through the session's
:class:`~desktop.dialects.activity.ActivityReader` (offered where
``Capabilities.activity_sources`` names them), for a window ``[starts, ends)``
(``Period.bounds(tz)``) named ``period`` in the reasons:

* :class:`~desktop.programs.sources.leaderboard.LeaderboardSource` ``(measure, top,
  exclude_groups, exclude_usernames)``: ``.read(reader, starts, ends, period=…, past_winners=…)``;
* :class:`~desktop.programs.sources.liked_posts.LikedPostsSource` ``(top)``: likewise;
* :class:`~desktop.programs.sources.posters.TopicPostersSource` ``(topic_id, min_posts)``:
  ``.read(reader)``; :class:`~desktop.programs.sources.posters.WindowPostersSource`
  ``(min_posts)``: ``.read(reader, starts, ends, period=…)``;
* :func:`~desktop.programs.sources.winners.recent_winners` ``(cache, program_id, period_key, periods)``:
  the ``past_winners`` of a program's last periods;
* :func:`~desktop.programs.sources.activity_specs.activity_source` / ``spec_of``: a program's
  stored ``SourceSpec`` to an activity source and back; ``needs(kind)``: the reading it needs.
"""
