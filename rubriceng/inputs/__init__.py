"""What a unit supplies.

- :mod:`~rubriceng.inputs.types`: input types (money, rate, count, …), their coercions and
  the compiled checker of a unit's values.
- :mod:`~rubriceng.inputs.files`: spreadsheets and table files (``.xlsx``, ``.csv``,
  ``.parquet``) read within bounds.
"""
