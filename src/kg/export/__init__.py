"""The graph for other tools: the named-graph split, the VoID description, network formats, and the dist/ bundle."""
