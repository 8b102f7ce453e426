"""What a mail is and what each kind says: no I/O, no Mongo, no SMTP."""
