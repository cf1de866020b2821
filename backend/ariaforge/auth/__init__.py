"""Accounts: registration, login with JWT access/refresh tokens, rotation, logout."""
