"""Reports: the one report model and the builders that compute it."""
