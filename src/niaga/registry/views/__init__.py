"""Registry pages of a province space, split by area like `niaga.registry.domain`."""
