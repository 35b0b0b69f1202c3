"""Articles (case studies and playbooks), their revisions, tags and wiki links."""
