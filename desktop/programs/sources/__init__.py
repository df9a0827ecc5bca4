"""Where a program's candidates come from: a leaderboard, liked posts, a topic, a list, tenure.

Each source reads the cache, a file or the server (through the dialect's ports,
offered only where the server has them) and answers a :class:`~desktop.programs.sources.base.SourceResult`.
"""
