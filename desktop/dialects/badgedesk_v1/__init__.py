"""Our own server API, "BadgeDesk Community API v1" (the sandbox speaks it): wire models and session."""

#: The server kind a profile names for this dialect (the default).
KIND = "badgedesk-v1"
