"""The faces: renderings of the library's typed results — the HTML report, the REST API, the dashboard.

Nothing here computes a number: every face renders the objects of :mod:`aieco.results` that the library returns.
"""
