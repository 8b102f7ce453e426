"""The auth service: users, passwords and sessions."""
