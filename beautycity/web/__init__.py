"""The web workspace (`beautycity serve`): a Django application over the same library.

Units upload their workbooks and see the problems `validate` finds, evaluators watch the
status board and run scoring and rendering as background jobs, leaders read the published
results. Nothing here validates, scores or renders a second way: `intake` calls the safe
reader, `year` the status logic, `jobs` the pipeline and the report renderer.
"""
