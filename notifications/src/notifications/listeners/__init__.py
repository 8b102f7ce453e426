"""Event in, command out: the replicas, and one recorded mail per order or payment event."""
