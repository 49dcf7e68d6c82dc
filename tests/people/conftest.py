from tests.domestic_abuse.conftest import partners  # noqa: F401  (the partner bodies fixture)
