"""The certificates' finished class (attended, passed, practised) is the starting point for officers' tasks too."""
from tests.certificates.conftest import finished  # noqa: F401
