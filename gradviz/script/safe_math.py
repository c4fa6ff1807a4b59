"""The `math` module a script gets: the float functions, none that can build huge integers."""

from __future__ import annotations

import math
from typing import Any

#: Functions and constants of `math` whose cost does not grow with their arguments.
#: (`factorial`, `comb`, `perm`, `prod` and `isqrt` of huge ints are left out on purpose.)
MATH_NAMES = frozenset("""
    pi e tau inf nan
    sqrt exp expm1 log log2 log10 log1p pow
    sin cos tan asin acos atan atan2 sinh cosh tanh asinh acosh atanh
    floor ceil trunc fabs copysign fmod remainder modf frexp ldexp hypot
    degrees radians erf erfc gamma lgamma isclose isfinite isinf isnan
""".split())


def math_members() -> dict[str, Any]:
    """The members of the script's `math` module."""
    return {name: getattr(math, name) for name in sorted(MATH_NAMES) if hasattr(math, name)}
