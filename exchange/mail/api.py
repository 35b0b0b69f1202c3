"""Email has no API endpoints: preferences are set on the profile, unsubscribing needs no account."""
PATHS: dict = {}
