"""Featured practices, moderation, the audit log and search analytics."""
