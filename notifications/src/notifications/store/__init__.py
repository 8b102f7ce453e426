"""The service's Mongo collections: mails (the outbox of mails), replicas, the dev mailbox."""
