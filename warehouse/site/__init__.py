"""`nianbao site`: a static site over the warehouse, for the people who read the reports (see build.py)."""
