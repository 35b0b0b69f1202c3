"""The site pages have no API of their own: they are pages for people."""
PATHS: dict = {}
