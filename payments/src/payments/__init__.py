"""The payments service: charges, failure reasons, refunds and Stripe webhooks."""
