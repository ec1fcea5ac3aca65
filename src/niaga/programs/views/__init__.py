"""The pages of OPOP programs, one module per part."""
