"""Pages for commissioners, contract managers, finance officers and auditors, one module a topic."""
