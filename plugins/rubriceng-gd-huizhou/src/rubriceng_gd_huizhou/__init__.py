"""惠州市 (Huizhou, Guangdong, 441300): the 市直部门整体支出绩效自评 rubric.

- ``cn.gd.huizhou/dept-overall@2020``: transcribed from the complete published table.
- ``cn.gd.huizhou/dept-overall@2025``: a variant of it (``extends``) for evaluation years
  from 2025, reconstructed from the 2025 self-evaluation report.
"""

from rubriceng.plugin import data_hooks

rubriceng_rubrics, rubriceng_test_cases = data_hooks(__file__)
