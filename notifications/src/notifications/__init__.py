"""The notifications service: one email per event, through an outbox of mails."""
