"""The interactive HTML view: the network of entities and claims, what part to draw, and the offline page."""
