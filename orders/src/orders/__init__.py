"""The orders service: the authority on availability, holds, orders and issued tickets."""
