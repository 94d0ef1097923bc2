"""Scoring many units at once over exact integer columns (NumPy), on one machine or
on Dask workers.

- :mod:`~rubriceng.batch.vector`: exact integer columns and the methods over them.
- :mod:`~rubriceng.batch.columns`: ``evaluate_table``, ``ScoreTable``, peer sums and means.
"""
