"""The library as files: ``exchange content load`` and ``export``, and backups.

It sits above every domain, because a library holds all of them (agencies, people, articles and,
as the format grows, what else the domains keep) and loading it defers search indexing.
"""
