"""Rubrics in the national layout (中华人民共和国财政部).

``cn/project-self-evaluation@2020`` is the 项目支出绩效自评表 scored from a project's
绩效目标表: see the rubric file for the source of its weights and what is our reading.
"""

from rubriceng.plugin import data_hooks

rubriceng_rubrics, rubriceng_test_cases = data_hooks(__file__)
