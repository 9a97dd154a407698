"""The labs reuse the sandbox's engine fixtures: a real engine, the stand-ins, clean owners."""

from tests.sandbox.conftest import (  # noqa: F401  (pytest fixtures, re-exported)
    clean_user_id,
    debian_images,
    docker,
    make_user_id,
    standin_images,
)
