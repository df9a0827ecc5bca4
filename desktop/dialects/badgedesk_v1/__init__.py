"""Our own server API, "BadgeDesk Community API v1" (the sandbox speaks it): its wire models and its session."""
