"""The class of something a script may hold but not make, as `type(obj)` hands it over."""

from __future__ import annotations

from typing import Any

from gradviz.script.errors import not_allowed


class ShownType:
    """The class of something a script may hold but not make (a function, a grad_fn, a
    module): it prints, compares equal to itself and checks instances, nothing more."""

    __slots__ = ("real", "__name__")

    def __init__(self, real: type, name: str) -> None:
        self.real = real
        self.__name__ = name

    def __repr__(self) -> str:
        return f"<class '{self.__name__}'>"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, ShownType) and other.real is self.real

    def __hash__(self) -> int:
        return hash(self.real)

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        if self.real is type:
            raise not_allowed("not allowed: calling the type of a class (scripts cannot create "
                              "types)")
        raise not_allowed(f"not allowed: making a {self.__name__} by calling its type")
