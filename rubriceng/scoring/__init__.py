"""Scoring units, exactly: the plan and the generated row kernel, peers, 不适用
reweighting, and the result tree.

- :mod:`~rubriceng.scoring.engine`: ``evaluate``, ``evaluate_many``, the ``Plan``.
- :mod:`~rubriceng.scoring.kernel`: one Python function per rubric, generated and compiled.
- :mod:`~rubriceng.scoring.reweight`: where the points of 不适用 indicators go.
- :mod:`~rubriceng.scoring.result`: results, with every score explained.
- :mod:`~rubriceng.scoring.table`: a table of units, one per row.
"""
