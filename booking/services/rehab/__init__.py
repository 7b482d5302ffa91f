"""Rehabilitation-team capacity: meetings, material due dates, assignment and scenarios."""
