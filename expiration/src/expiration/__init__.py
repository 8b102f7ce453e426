"""The expiration service: order holds become JetStream scheduled messages."""
