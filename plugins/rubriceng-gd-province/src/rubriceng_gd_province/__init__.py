"""广东省 (Guangdong province, 440000): the provincial rubric (履职效能 + 管理效率).

``cn.gd/dept-overall@2024`` is a reconstruction: the table 广东省财政厅 issues with its
yearly self-evaluation notice was not available. Its two halves and what they cover
follow the 2024 self-evaluation report of 广东省人民政府办公厅; its points and rules
follow the patterns of the 惠州 table. Every indicator says so in its provenance.
"""

from rubriceng.plugin import data_hooks

rubriceng_rubrics, rubriceng_test_cases = data_hooks(__file__)
