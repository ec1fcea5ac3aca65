"""Every write to OPOP programs, one function per state change, split by part."""
