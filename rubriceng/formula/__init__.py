"""The formula language: what a rubric may write in a formula, parsed once, checked
against a whitelist and run exactly. It knows nothing of rubrics.

- :mod:`~rubriceng.formula.language`: ``Formula``, ``compile_formula``, the built-in
  functions, the evaluator and its simpleeval reference.
- :mod:`~rubriceng.formula.phrasing`: formulas and numbers as people read them.
"""
