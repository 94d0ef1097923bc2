"""The rubric language: what a rubric document may say, and how it becomes a
compiled, frozen :class:`~rubriceng.language.model.Rubric`. Nothing here scores.

- :mod:`~rubriceng.language.documents`: reading YAML, JSON or mappings within bounds.
- :mod:`~rubriceng.language.model`: the frozen model (``Rubric``, ``Indicator``, …).
- :mod:`~rubriceng.language.lookup`: finding an indicator as a person names it.
- :mod:`~rubriceng.language.schema`: the language as a cerberus schema.
- :mod:`~rubriceng.language.vocabulary`: the methods, functions and input types a
  document may use.
- :mod:`~rubriceng.language.variants`: a rubric written as changes to another.
- :mod:`~rubriceng.language.compiler`: document → ``Rubric``.
- :mod:`~rubriceng.language.needs` and :mod:`~rubriceng.language.paths`: what a compiled
  rubric asks of a unit, as compile-time facts and as flat fields.

The model sits below the scoring methods and input types (they speak of points and
declared inputs); the schema, vocabulary and compiler sit above them (they compile what
a method or an input type declares). ``pyproject.toml`` states that order.
"""
