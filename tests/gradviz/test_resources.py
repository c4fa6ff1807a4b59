"""The bundled examples as the Examples menu lists them."""

from __future__ import annotations

from gradviz import resources


def test_examples_are_listed_tutorial_first_with_readable_titles_and_summaries() -> None:
    found = resources.examples()
    titles = [example.title for example in found]
    assert titles[0] == "Tutorial"
    assert {"MLP cross entropy", "RNN through time", "SGD training loop", "Layer norm"} <= set(
        titles)
    assert all(example.summary for example in found[1:])  # the tutorial runs as it was written
