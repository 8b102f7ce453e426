"""`make chaos`: faults injected into a running system with real processes and real
signals, each scenario checked against what the databases and the stream say."""
