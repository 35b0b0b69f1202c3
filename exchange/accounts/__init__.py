"""Agencies, people, signing in, API tokens and profiles."""
