import pytest

from geo import UnitNotFoundError, resolve
from geo.names import AmbiguousNameError, normalise


@pytest.mark.parametrize(
    ("written", "code", "method"),
    [
        ("RU-CE", "RU-CE", "code"),
        ("ru_ce", "RU-CE", "code"),
        ("UA63", "UA-63", "code"),
        ("Chechnya", "RU-CE", "name"),
        ("Chechen Republic", "RU-CE", "name"),
        ("Чечня", "RU-CE", "name"),
        ("Ingushetia", "RU-IN", "name"),
        ("Donets'k", "UA-14", "name"),
        ("Donetsk", "UA-14", "name"),
        ("Donetsk Oblast", "UA-14", "normalised name"),
        ("Донецкая область", "UA-14", "name"),
        ("Kharkiv", "UA-63", "name"),
        ("Харківська область", "UA-63", "name"),
        ("Republic of Dagestan", "RU-DA", "name"),
        ("Shida Kartli", "GE-SK", "name"),
    ],
)
def test_resolves_codes_names_and_spellings(written, code, method):
    found = resolve(written)
    assert (found.code, found.method) == (code, method)


def test_country_narrows_an_ambiguous_name():
    with pytest.raises(
        AmbiguousNameError,
        match=r"'La Paz' matches 3 admin1 units by name: \['BO-L', 'HN-LP', 'SV-PA'\]",
    ):
        resolve("La Paz")
    assert resolve("La Paz", country="BOL").code == "BO-L"


def test_country_excludes_units_of_other_countries():
    with pytest.raises(UnitNotFoundError, match=r"no admin1 unit in RUS matches 'Kharkiv'"):
        resolve("Kharkiv", country="RUS")


def test_unknown_name_suggests_close_names_and_a_fix():
    # "Chekhnia" is two letters from "Chechenia", and every other unit farther: a typo.
    found = resolve("Chekhnia", country="RUS")
    assert (found.code, found.method, found.score) == ("RU-CE", "fuzzy", 82.4)
    # "Chkhnai" is three letters or more from every name: refused, the closest listed.
    with pytest.raises(
        UnitNotFoundError,
        match=r"no admin1 unit in RUS matches 'Chkhnai'\. Closest names: RU-CHU 'Chukchi "
        r"Autonomous Okrug' \(71\.4\), RU-CE 'Chechnya' \(66\.7\).*Fix:",
    ):
        resolve("Chkhnai", country="RUS")


def test_countries_resolve_by_code_name_and_alias():
    assert resolve("GEO", level="admin0").code == "GEO"
    assert resolve("Côte d’Ivoire", level="admin0").code == "CIV"
    found = resolve("FYR Macedonia", level="admin0")
    assert (found.code, found.method) == ("MKD", "alias")


def test_normalise_edge_cases():
    assert normalise("") == ""
    assert normalise("  Luhans'k   Oblast' ") == "luhansk"
    assert normalise("Autonomous Republic of Crimea") == "crimea"


def test_a_code_resolves_alike_with_or_without_the_tables_of_names(monkeypatch):
    from geo import names
    from geo.boundary_sets import embedded

    texts = []
    for code, country in embedded("admin1").frame[["code", "country"]].itertuples(index=False):
        texts += [(code, country), (code.lower().replace("-", "_"), None), (code, "UKR")]
    texts += [("CZE", None), ("UA63", "UKR"), ("Kharkiv", "UKR"), ("XX-99", None)]

    def outcome(text, country):
        try:
            found = names.resolve(text, country=country)
        except names.UnitNotFoundError as err:
            return type(err).__name__, str(err)
        return found.code, found.method, found.matched

    quick = [outcome(t, c) for t, c in texts]
    monkeypatch.setattr(names, "_by_code_alone", lambda *args: None)
    assert [outcome(t, c) for t, c in texts] == quick
    assert sum(1 for q in quick if q[1:2] == ("code",)) > 4000
