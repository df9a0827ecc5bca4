"""Our own server API, "BadgeDesk Community API v1" (the sandbox speaks it): wire models and session."""
