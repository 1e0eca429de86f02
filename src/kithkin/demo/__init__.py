"""A seeded generator of believable professional networks, for demos and benchmarks."""

from kithkin.demo.generate import DemoStats, generate_network

__all__ = ["DemoStats", "generate_network"]
