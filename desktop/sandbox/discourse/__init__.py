"""The sandbox speaking Discourse: ``badgedesk sandbox --dialect discourse``.

The same demo community as the v1 face (the sandbox store's database), served
through Discourse's endpoints with Discourse's behaviour: API keys in
``Api-Key``/``Api-Username`` headers, one site-wide bucket of admin requests per
minute, users by flag 100 a page, badges with their types and groupings,
grants one member per request by ``BadgeGranter``'s rules, holders newest
first. What Discourse does is taken from its newest code (the published
OpenAPI description is older in places; each module says where).

Nothing here imports the client's dialects (an import-linter contract checks
it): the published description is the contract between this server and the
client's Discourse connector, so a serialisation mistake cannot hide on both
sides at once.

- ``app``: the FastAPI application; ``routes/``: one module per resource.
- ``auth``, ``keys``, ``ratelimit``: who calls, with which key, and the bucket.
- ``errors``, ``responses``, ``params``, ``middleware``: Discourse's conventions.
- ``badge_models``, ``user_models``: the answers' shapes.
- ``data/``: the store's community read and written as Discourse has it.
"""
