"""A duck-typed stand-in for analysis.projection.Projection."""

import numpy as np


class FakeProjection:
    """A duck-typed Projection: cumulative paths c0 + V at (day before start, end), with
    V ~ N(mean, sd) from the seed. Records the calls it gets."""

    def __init__(self, mean, sd, c0=1000.0):
        self.mean, self.sd, self.c0 = mean, sd, c0
        self.calls = []
        self.brand = "Fake"

    def window_volumes(self, n, seed):
        rng = np.random.default_rng(seed)
        return np.abs(rng.normal(self.mean, self.sd, n))

    def sample(self, dates, *, draws=1000, seed=None):
        n = draws
        self.calls.append((list(dates), n, seed))
        v = self.window_volumes(n, seed)
        if len(dates) == 1:
            return (self.c0 + v)[:, None]
        return np.column_stack([np.full(n, self.c0), self.c0 + v])
