"""廉江市 (Lianjiang, 湛江 Zhanjiang, Guangdong, 440881): the county-level rubric.

``cn.gd.zhanjiang.lianjiang/dept-overall@2024`` is a reconstruction: the published county
table was not available. Its structure follows the 2024 self-evaluation report of
廉江市人民政府办公室; its points and rules follow the patterns of the 惠州 table. Every
indicator says so in its provenance.
"""

from rubriceng.plugin import data_hooks

rubriceng_rubrics, rubriceng_test_cases = data_hooks(__file__)
