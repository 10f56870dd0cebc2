"""Graph store backends, one per module."""
