"""The dev mailbox: an SMTP server (aiosmtpd) that keeps what it receives for the Mail page.

Run by `make dev` as a part of its own (`python -m notifications.dev_mailbox`): the
service sends to it over SMTP exactly as it sends to a real server in production.
"""
