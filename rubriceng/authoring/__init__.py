"""Tools for rubric authors: test cases written as data and their pytest plugin, the
linter, plugin scaffolding, rubric comparison, and importing a published table.
"""
