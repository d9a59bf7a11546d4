"""Bilingual PDF reports (city and overview), the action list, and their charts."""
