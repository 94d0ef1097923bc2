"""The plugin host: pluggy hook specifications, the built-in plugin, loading plugins
behind guards, the rubric index, and the :class:`~rubriceng.host.registry.Registry` that
puts them together.
"""
