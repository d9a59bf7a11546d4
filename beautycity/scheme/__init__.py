"""The indicator scheme (指标体系): model, loading, checks, effective form per positioning."""
