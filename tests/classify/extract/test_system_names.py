"""The labels' convention for a system's name: spelling, calibre, weight, number and type word."""

from __future__ import annotations

import pytest

from streams.classify.extract.system_names import conventional


@pytest.mark.parametrize(
    ("name", "want"),
    [
        ("Patriot air defence system", "patriot air defense system"),
        ("155 mm artillery shells", "155-mm artillery shell"),
        ("500-lb bomb", "500-pound bomb"),
        ("F-16 fighter", "f-16 fighter jet"),
        ("f-16 fighter jet", "f-16 fighter jet"),  # already in the convention: unchanged
        ("armoured personnel carrier", "armored personnel carrier"),
        ("military vehicles", "vehicle"),
        ("car bomb", "vehicle-borne ied"),
        ("akash air defence missile system", "akash air defense system"),
        ("iskander missile system", "iskander missile"),
        ("spare parts", "spare part"),
        ("jet fuel", "jet fuel"),  # "jet" is a type word only at the end
    ],
)
def test_conventional(name: str, want: str) -> None:
    assert conventional(name) == want
