"""The graph for other tools: one export pipeline for every backend (exports), the network formats, the dist/ bundle."""
