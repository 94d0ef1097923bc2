"""Everything that presents a result to people or programs.

- :mod:`~rubriceng.outputs.text`: text tables and JSON, and the renderer registry.
- :mod:`~rubriceng.outputs.explanation`: the 评分依据 and full traces in words.
- :mod:`~rubriceng.outputs.outline`: a rubric's rules for people.
- :mod:`~rubriceng.outputs.report`: a self-contained HTML report.
- :mod:`~rubriceng.outputs.docx`: the scoring part of a 自评报告 as a Word document.
- :mod:`~rubriceng.outputs.spreadsheet`: Excel scoring tables, batch tables and forms.
- :mod:`~rubriceng.outputs.schemas`: JSON Schemas of inputs and results.

- :mod:`~rubriceng.outputs.words`: every word rubriceng says to a person, in Chinese and
  English — one table. It is the one module of this package at the bottom of the layers:
  errors, and every layer above them, speak through it.
"""
