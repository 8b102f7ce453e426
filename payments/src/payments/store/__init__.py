"""The Mongo adapters of the payments ports: payments, the orders replica, webhook events."""
