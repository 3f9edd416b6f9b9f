"""What ISO 3166-2 and the features themselves say of the admin-1 codes the audit flags.

The facts :mod:`make_admin1_audit` checks the embedded Natural Earth admin-1
units against (placeholder codes, codes several features share, features
standing for several units), each with its source in the reason written to
``admin1_audit.csv``. See that script's docstring for the sources.
"""

from __future__ import annotations

__all__ = ["DUPLICATES", "EXTRA", "IC", "PLACEHOLDER_NOTES", "PREFIX_NOTES"]

#: The ISO 3166-2 lists read (Debian iso-codes, through PyPI pycountry; not a dependency).
IC = "Debian iso-codes via pycountry 26.2.16"

# Notes added to the reason of a placeholder: by code, then by ISO 3166-1 prefix.
PLACEHOLDER_NOTES = {
    "TJ-X01~": (
        f"ISO 3166-2:TJ ({IC}) codes this unit TJ-RA, Districts under republic administration"
    ),
    "TD-X01~": f"ISO 3166-2:TD ({IC}) divides Ennedi into TD-EE Ennedi-Est and TD-EO Ennedi-Ouest",
    "AZ-X01~": (
        f"ISO 3166-2:AZ ({IC}; Wikipedia) has only the Şuşa rayon, AZ-SUS, having removed the city"
    ),
    "SY-X01~": (
        f"it is the UNDOF buffer strip on the Golan, which ISO 3166-2:SY ({IC}) does not code"
    ),
    "RU-X01~": "it is an unnamed minor island (Natural Earth's note)",
}
PREFIX_NOTES = {
    "BA": (
        "it is one of the seven regions Natural Earth draws for Republika Srpska, whose ISO "
        f"3166-2:BA code BA-SRP ({IC}) Natural Earth gives to Posavina canton instead"
    ),
    "XK": f"Kosovo's XK is not an ISO 3166-1 code, so ISO 3166-2 ({IC}) has no Kosovo list",
    "HK": f"ISO 3166-2 ({IC}) defines no subdivisions of Hong Kong",
}


def _ph(province: str, cities: str, code: str) -> tuple[str, str]:
    """Verdict of a Philippine province drawn apart from its independent cities."""
    return (
        "all",
        f"ISO 3166-2:PH ({IC}) codes provinces only, and {cities}, drawn apart by Natural Earth, "
        f"lies within the province of {province} and has no ISO code of its own, so the "
        f"features carrying {code} together are the province.",
    )


def _ie(county: str, parts: str) -> tuple[str, str]:
    """Verdict of an Irish county drawn as several local-authority areas."""
    return (
        "all",
        f"ISO 3166-2:IE ({IC}) codes the whole of County {county}, which Natural Earth draws "
        f"as {parts}; together they are the county.",
    )


def _mg(province: str, regions: str) -> tuple[str, str]:
    """Verdict of a former Malagasy province drawn as its post-2009 regions."""
    return (
        "all",
        f"ISO 3166-2:MG ({IC}) still codes the six former provinces; Natural Earth draws the "
        f"2009 regions and gives each the code of its province (its note says so), and "
        f"{regions} together are the province of {province}.",
    )


def _lv(city: str, municipality: str) -> str:
    """Reason for a Latvian state city sharing its code with the municipality around it."""
    return (
        f"ISO 3166-2:LV ({IC}; Wikipedia) gives this code to the state city of {city}, the "
        f"small feature holding the city; the other feature is the municipality around it, "
        f"{municipality} before Latvia's 2021 reform, which Natural Earth still draws."
    )


#: code -> (adm1_codes carrying it, joinable, reason); checked against the data.
DUPLICATES: dict[str, tuple[tuple[str, ...], str, str]] = {
    "AF-PAR": (
        ("AFG-1769", "AFG-1772"),
        "AFG-1772 (Parwan)",
        f"Natural Earth names both features Parwan: AFG-1772 (GeoNames name Parwan, holds "
        f"Charikar) is Parwan, AFG-1769 (GeoNames name Panjshir, holds Bazarak) is Panjshir, "
        f"ISO AF-PAN since its 2004 split from Parwan (ISO 3166-2:AF, {IC}).",
    ),
    "AF-URU": (
        ("AFG-1752", "AFG-1753"),
        "AFG-1752 (Uruzgan)",
        f"Natural Earth names both features Uruzgan: AFG-1753 (GeoNames name Wilayat-e "
        f"Daykundi, holds Nili) is Daykundi, ISO AF-DAY since its 2004 split from Uruzgan; "
        f"AFG-1752 is Uruzgan (ISO 3166-2:AF, {IC}).",
    ),
    "AU-NSW": (
        ("AUS-2654", "AUS-2659"),
        "all",
        f"Lord Howe Island (AUS-2659) is part of New South Wales (Natural Earth's note says "
        f"so) and ISO 3166-2:AU ({IC}) gives it no code, so the two features together are "
        f"New South Wales.",
    ),
    "AZ-LA": (
        ("AZE-1707", "AZE-5562"),
        "AZE-5562 (Lankaran city)",
        f"ISO 3166-2:AZ ({IC}; Wikipedia) gives AZ-LA to the municipality (city) of Lənkəran "
        f"and AZ-LAN to the Lənkəran rayon; Natural Earth gives AZ-LA to both the city "
        f"(AZE-5562, GeoNames Lankaran Sahari, holds Lankaran) and the rayon (AZE-1707, "
        f"GeoNames Lankaran Rayon), and AZ-LAN to Lachin.",
    ),
    "AZ-SA": (
        ("AZE-1727", "AZE-5564"),
        "AZE-5564 (Şəki city)",
        f"ISO 3166-2:AZ ({IC}; Wikipedia) gives AZ-SA to the municipality (city) of Şəki, "
        f"AZE-5564 (GeoNames Saki Sahari, holds Sheki); AZE-1727 (GeoNames Shaki Rayon) is "
        f"the Şəki rayon, ISO AZ-SAK.",
    ),
    "AZ-YEV": (
        ("AZE-1688", "AZE-5566"),
        "AZE-1688 (Yevlakh Rayon)",
        f"ISO 3166-2:AZ ({IC}; Wikipedia) gives AZ-YEV to the Yevlax rayon, AZE-1688; "
        f"AZE-5566 (GeoNames Yevlakh City, holds Yevlakh) is the municipality, ISO AZ-YE.",
    ),
    "CO-CUN": (
        ("COL-1398", "COL-1399"),
        "COL-1398 (Cundinamarca)",
        f"ISO 3166-2:CO ({IC}) gives CO-CUN to the department of Cundinamarca, COL-1398; "
        f"COL-1399 (holds Bogotá) is the capital district, ISO CO-DC, which is not part of "
        f"the department.",
    ),
    "GL-UO": (
        ("GRL-2738", "GRL-2742"),
        "all",
        f"GL-UO is not an ISO 3166-2 code (ISO 3166-2:GL, {IC}, lists only the five "
        f"municipalities); Natural Earth takes it from HASC GL.UO, the area outside every "
        f"municipality, which is Northeast Greenland National Park (GRL-2742) and Pituffik "
        f"(GRL-2738) together.",
    ),
    "HR-12": (
        ("HRV-1602", "HRV-1604"),
        "HRV-1602 (Brod-Posavina)",
        f"Natural Earth names both features Brodsko-Posavska: HRV-1602 (holds Slavonski "
        f"Brod) is Brod-Posavina, HR-12; HRV-1604 (English name Požega-Slavonia, holds "
        f"Požega) is Požega-Slavonia, ISO HR-11 (ISO 3166-2:HR, {IC}).",
    ),
    "IE-CO": (("IRL-5569", "IRL-78"), *_ie("Cork", "Cork city (IRL-5569) and county (IRL-78)")),
    "IE-D": (
        ("IRL-5573", "IRL-5574", "IRL-5575", "IRL-5576"),
        *_ie("Dublin", "Dublin City, Dún Laoghaire–Rathdown, Fingal and South Dublin"),
    ),
    "IE-G": (
        ("IRL-5568", "IRL-713"),
        *_ie("Galway", "Galway city (IRL-5568) and county (IRL-713)"),
    ),
    "IE-LK": (
        ("IRL-5570", "IRL-726"),
        *_ie("Limerick", "Limerick city (IRL-5570) and county (IRL-726)"),
    ),
    "IE-TA": (
        ("IRL-5572", "IRL-724"),
        *_ie("Tipperary", "North Tipperary (IRL-724) and South Tipperary (IRL-5572)"),
    ),
    "IE-WD": (
        ("IRL-1444", "IRL-5571"),
        *_ie("Waterford", "Waterford city (IRL-5571) and county (IRL-1444)"),
    ),
    "IR-07": (
        ("IRN-3216", "IRN-5490"),
        "no",
        "Natural Earth's unit IR-07 is Tehran (IRN-3216) and Alborz (IRN-5490) together, in "
        "Iran's ISO numbering before 2020, where IR-07 was Tehran alone and Alborz IR-32; "
        "since ISO's renumbering of 2020-11-24 IR-07 is Fārs, Tehran IR-23 and Alborz IR-30, "
        "so no feature keeps the code (ISO 3166-2:IR, Wikipedia change list; "
        f"{IC}).",
    ),
    "KZ-ALA": (
        ("KAZ-3207", "KAZ-4829"),
        "KAZ-4829 (Almaty City)",
        "In the letter codes of ISO 3166-2:KZ that Natural Earth follows, KZ-ALA is Almaty "
        "city (KAZ-4829, holds Almaty) and the region around it is KZ-ALM (KAZ-3207); the "
        "current list is numeric (KZ-75 city, KZ-19 region), so KZ-ALA only joins data coded "
        f"with the old list (ISO 3166-2:KZ, Wikipedia; {IC}).",
    ),
    "LA-VI": (
        ("LAO-3283", "LAO-3284"),
        "LAO-3284 (Vientiane Province)",
        f"ISO 3166-2:LA ({IC}) gives LA-VI to Vientiane province, LAO-3284; LAO-3283 "
        f"(Vientiane [prefecture], holds Vientiane city) is the capital prefecture, ISO LA-VT.",
    ),
    "LV-DGV": (
        ("LVA-1081", "LVA-4850"),
        "LVA-4850 (Daugavpils city)",
        _lv("Daugavpils", "Daugavpils municipality, LV-025"),
    ),
    "LV-JEL": (
        ("LVA-1084", "LVA-4849"),
        "LVA-4849 (Jelgava city)",
        _lv("Jelgava", "Jelgava municipality, LV-041"),
    ),
    "LV-JKB": (
        ("LVA-1085", "LVA-5725"),
        "LVA-1085 (Jēkabpils city)",
        f"Before Latvia's 2021 reform ISO 3166-2:LV gave LV-JKB to the republican city of "
        f"Jēkabpils, the small feature holding the city; the other feature is the "
        f"municipality around it, Jēkabpils municipality (LV-042); ISO deleted LV-JKB in 2021 "
        f"when the city joined that municipality, so the code only joins data coded with the "
        f"older list ({IC}; Wikipedia).",
    ),
    "LV-REZ": (
        ("LVA-1066", "LVA-4851"),
        "LVA-4851 (Rēzekne city)",
        _lv("Rēzekne", "Rēzekne municipality, LV-077"),
    ),
    "LV-VEN": (
        ("LVA-4852", "LVA-934"),
        "LVA-4852 (Ventspils city)",
        _lv("Ventspils", "Ventspils municipality, LV-106"),
    ),
    "MD-RE": (
        ("MDA-1644", "MDA-1645"),
        "MDA-1644 (Rezina)",
        f"Natural Earth names both features Rezina: MDA-1644 (GeoNames Raionul Rezina) is "
        f"Rezina district; MDA-1645 lies east of the Dniester and holds Rîbnița, so it is "
        f"Rîbnița, part of the Transnistrian territorial unit MD-SN (ISO 3166-2:MD, {IC}; "
        f"Wikipedia).",
    ),
    "MD-SN": (
        ("MDA-1628", "MDA-1638"),
        "no",
        "Natural Earth's unit MD-SN is two features (MDA-1628, and MDA-1638 holding Dubăsari) "
        "that are only part of the left-bank territorial unit ISO 3166-2:MD codes MD-SN: "
        "Natural Earth draws the rest as MD-CAM Camenca and MD-GRI Grigoriopol (not ISO "
        "codes), the Rîbnița feature carrying MD-RE and the MD-BD feature holding Tiraspol and "
        f"Slobozia ({IC}; Wikipedia).",
    ),
    "MG-A": (
        ("MDG-5860", "MDG-5863", "MDG-5868"),
        *_mg("Toamasina", "Alaotra-Mangoro, Analanjirofo and Atsinanana"),
    ),
    "MG-D": (("MDG-5872", "MDG-5879"), *_mg("Antsiranana", "Diana and Sava")),
    "MG-F": (
        ("MDG-5861", "MDG-5867", "MDG-5873", "MDG-5874", "MDG-5882"),
        *_mg(
            "Fianarantsoa",
            "Amoron'i Mania, Atsimo-Atsinanana, Haute Matsiatra, Ihorombe and Vatovavy-Fitovinany",
        ),
    ),
    "MG-M": (
        ("MDG-5869", "MDG-5870", "MDG-5876", "MDG-5880"),
        *_mg("Mahajanga", "Betsiboka, Boeny, Melaky and Sofia"),
    ),
    "MG-T": (
        ("MDG-5862", "MDG-5871", "MDG-5875", "MDG-5881"),
        *_mg("Antananarivo", "Analamanga, Bongolava, Itasy and Vakinankaratra"),
    ),
    "MG-U": (
        ("MDG-5864", "MDG-5865", "MDG-5866", "MDG-5878"),
        *_mg("Toliara", "Androy, Anosy, Atsimo-Andrefana and Menabe"),
    ),
    "MU-PL": (
        ("MUS-5189", "MUS-5190"),
        "all",
        f"ISO 3166-2:MU ({IC}) gives MU-PL to Port Louis district, which Natural Earth draws "
        f"as two features, the city (MUS-5190, holds Port Louis) and the rest of the district "
        f"(MUS-5189); together they are the district.",
    ),
    "MV-12": (
        ("MDV-5234", "MDV-5236"),
        "MDV-5236 (Meemu)",
        f"ISO 3166-2:MV ({IC}) gives MV-12 to Mulaku Atoll (Meemu), MDV-5236; MDV-5234 is "
        f"the capital Malé, ISO MV-MLE.",
    ),
    "MW-CT": (
        ("MWI-1194", "MWI-1873"),
        "MWI-1873 (Chitipa)",
        f"Natural Earth names both features Chitipa: MWI-1873 (GeoNames Chitipa District, "
        f"holds Chitipa) is Chitipa; MWI-1194 (GeoNames Karonga District, holds Karonga) is "
        f"Karonga district, ISO MW-KR (ISO 3166-2:MW, {IC}).",
    ),
    "MZ-L": (
        ("MOZ-1927", "MOZ-5854"),
        "MOZ-1927 (Maputo Province)",
        f"ISO 3166-2:MZ ({IC}) gives MZ-L to Maputo province, MOZ-1927; MOZ-5854 (GeoNames "
        f"Cidade de Maputo, holds Maputo) is Maputo city, ISO MZ-MPM.",
    ),
    "PE-LIM": (
        ("PER-587", "PER-591"),
        "PER-591 (Lima region)",
        f"ISO 3166-2:PE ({IC}) gives PE-LIM to the Lima region, PER-591 (GeoNames Region de "
        f"Lima); PER-587 (Lima Province, holds Lima) is the Municipalidad Metropolitana de "
        f"Lima, ISO PE-LMA.",
    ),
    "PH-AGN": (("PHL-2587", "PHL-5532"), *_ph("Agusan del Norte", "Butuan", "PH-AGN")),
    "PH-BEN": (("PHL-2559", "PHL-5539"), *_ph("Benguet", "Baguio", "PH-BEN")),
    "PH-CAS": (("PHL-2538", "PHL-5536"), *_ph("Camarines Sur", "Naga", "PH-CAS")),
    "PH-CEB": (("PHL-2514", "PHL-5522"), *_ph("Cebu", "Cebu City", "PH-CEB")),
    "PH-DAV": (
        ("PHL-2591", "PHL-5528"),
        "PHL-2591 (Davao del Norte)",
        f"Davao City (PHL-5528, HASC PH.DR and FIPS RP25, not Davao del Norte's PH.DV and "
        f"RPI7) borders Davao del Sur and is not part of Davao del Norte, PHL-2591; ISO "
        f"3166-2:PH ({IC}) gives the city no code.",
    ),
    "PH-ILI": (("PHL-2529", "PHL-5526"), *_ph("Iloilo", "Iloilo City", "PH-ILI")),
    "PH-ISA": (("PHL-2550", "PHL-5537"), *_ph("Isabela", "Santiago", "PH-ISA")),
    "PH-LAN": (("PHL-2573", "PHL-5530"), *_ph("Lanao del Norte", "Iligan", "PH-LAN")),
    "PH-LEY": (
        ("PHL-2583", "PHL-5534", "PHL-5535"),
        *_ph("Leyte", "each of Ormoc and Tacloban", "PH-LEY"),
    ),
    "PH-MNL": (
        (
            "PHL-5542",
            "PHL-5543",
            "PHL-5544",
            "PHL-5545",
            "PHL-5546",
            "PHL-5547",
            "PHL-5549",
            "PHL-5550",
            "PHL-5551",
            "PHL-5552",
            "PHL-5553",
            "PHL-5554",
            "PHL-5555",
            "PHL-5556",
            "PHL-5557",
            "PHL-5558",
            "PHL-5559",
        ),
        "all",
        f"PH-MNL is not an ISO 3166-2 code: ISO 3166-2:PH ({IC}) codes Metro Manila as the "
        f"National Capital Region, PH-00; Natural Earth gives PH-MNL (HASC PH.MM) to the 17 "
        f"cities and municipality of Metro Manila, which together are that region.",
    ),
    "PH-MSR": (("PHL-2595", "PHL-5531"), *_ph("Misamis Oriental", "Cagayan de Oro", "PH-MSR")),
    "PH-NCO": (
        ("PHL-2579", "PHL-5527"),
        "PHL-2579 (Cotabato province)",
        f"Natural Earth names both features Cotabato: PHL-2579 is the province (ISO PH-NCO); "
        f"PHL-5527 is Cotabato City, which borders only Maguindanao and is not part of the "
        f"province; ISO 3166-2:PH ({IC}) gives the city no code.",
    ),
    "PH-PAM": (("PHL-2558", "PHL-5538"), *_ph("Pampanga", "Angeles", "PH-PAM")),
    "PH-PAN": (("PHL-2562", "PHL-5541"), *_ph("Pangasinan", "Dagupan", "PH-PAN")),
    "PH-PLW": (("PHL-2534", "PHL-5533"), *_ph("Palawan", "Puerto Princesa", "PH-PLW")),
    "PH-QUE": (("PHL-2572", "PHL-5560"), *_ph("Quezon", "Lucena", "PH-QUE")),
    "PH-SCO": (("PHL-2599", "PHL-5529"), *_ph("South Cotabato", "General Santos", "PH-SCO")),
    "PH-ZAN": (
        ("PHL-2520", "PHL-4932"),
        "PHL-2520 (Zamboanga del Norte)",
        f"Zamboanga City (PHL-4932) borders only Zamboanga Sibugay in Natural Earth and is "
        f"not part of Zamboanga del Norte, PHL-2520; ISO 3166-2:PH ({IC}) gives the city no "
        f"code.",
    ),
    "PH-ZMB": (("PHL-2560", "PHL-5540"), *_ph("Zambales", "Olongapo", "PH-ZMB")),
    "SB-CH": (
        ("SLB-3507", "SLB-3508"),
        "SLB-3508 (Choiseul)",
        f"ISO 3166-2:SB ({IC}) gives SB-CH to Choiseul, SLB-3508; SLB-3507 is Western "
        f"province, ISO SB-WE.",
    ),
    "SD-DS": (
        ("SDN-5856", "SDN-5857"),
        "SDN-5856 (South Darfur)",
        f"ISO 3166-2:SD ({IC}; Wikipedia) gives SD-DS to South Darfur, SDN-5856 (holds "
        f"Nyala); SDN-5857 (Eastern Darfur, holds Ed Daein) is East Darfur, ISO SD-DE, a "
        f"code Natural Earth gives to Central Darfur.",
    ),
    "SI-054": (
        ("SVN-939", "SVN-958"),
        "all",
        f"ISO 3166-2:SI ({IC}) gives SI-054 to Krško; Natural Earth draws it as a main "
        f"feature (SVN-958) and a 7 km² sliver (SVN-939) on its border with Brežice and "
        f"Kozje, together Natural Earth's Krško; ISO also lists Kostanjevica na Krki "
        f"(SI-197), formed from Krško, which Natural Earth does not draw.",
    ),
    "UG-410": (
        ("UGA-3371", "UGA-3374"),
        "UGA-3374 (Mbarara)",
        f"Natural Earth names both features Mbarara: UGA-3374 (GeoNames Mbarara District, "
        f"holds Mbarara) is Mbarara; UGA-3371 (GeoNames Kiruhura District, holds Kazo) is "
        f"Kiruhura, carved out of Mbarara, ISO UG-419 (ISO 3166-2:UG, {IC}), a code Natural "
        f"Earth gives to Buliisa.",
    ),
}

#: code -> (problem, adm1_codes carrying it, reason); never joinable; checked against the data.
EXTRA: dict[str, tuple[str, tuple[str, ...], str]] = {
    "BA-BIH": (
        "merged",
        (
            "BIH-2224",
            "BIH-2225",
            "BIH-2226",
            "BIH-2227",
            "BIH-2228",
            "BIH-2887",
            "BIH-2889",
            "BIH-2890",
            "BIH-2891",
        ),
        "Natural Earth's unit BA-BIH stands for 9 cantons of the Federation of Bosnia and "
        "Herzegovina (Una-Sana, Tuzla, Zenica-Doboj, Bosnian Podrinje, Central Bosnia, "
        "Herzegovina-Neretva, West Herzegovina, Sarajevo, West Bosnia), so a record cannot be "
        "placed on one canton, nor is it the whole Federation: the tenth canton, Posavina, "
        "carries Republika Srpska's code BA-SRP. ISO 3166-2:BA (Wikipedia change list; "
        f"{IC}) gives BA-BIH to the Federation entity and deleted the canton codes BA-01 to "
        "BA-10 on 2015-11-27 (Natural Earth's notes give each canton's old code).",
    ),
    "BA-SRP": (
        "wrong_code",
        ("BIH-3153",),
        "Natural Earth's unit BA-SRP is Posavina canton (BIH-3153, a canton of the Federation, "
        "ISO BA-02 until 2015), but ISO 3166-2:BA (Wikipedia; "
        f"{IC}) gives BA-SRP to the entity Republika Srpska, which Natural Earth draws as the "
        "seven placeholder regions BA-X01~ to BA-X07~; a record for Republika Srpska would "
        "land on Posavina.",
    ),
    "AZ-LAN": (
        "wrong_code",
        ("AZE-1735",),
        "Natural Earth's unit AZ-LAN (AZE-1735) is named Lankaran but is Lachin rayon "
        "(GeoNames name Lacin Rayonu; it lies on the Armenian border at 46.3°E 39.7°N), ISO "
        "AZ-LAC; ISO 3166-2:AZ (Wikipedia; "
        f"{IC}) gives AZ-LAN to the Lənkəran rayon, which Natural Earth codes AZ-LA, so a "
        "record for Lənkəran rayon would land on Lachin.",
    ),
    "SD-DE": (
        "wrong_code",
        ("SDN-5859",),
        "Natural Earth's unit SD-DE is Central Darfur (SDN-5859, holds Zalingei), ISO SD-DC; "
        f"ISO 3166-2:SD (Wikipedia; {IC}) gives SD-DE to East Darfur, which Natural Earth "
        "draws as SDN-5857 under SD-DS, so a record for East Darfur would land on Central "
        "Darfur.",
    ),
    "MD-BD": (
        "merged",
        ("MDA-1650",),
        "Natural Earth's unit MD-BD (MDA-1650, 921 km²) holds Bender, Tiraspol and Slobozia: "
        "it stands for the city of Bender, which ISO 3166-2:MD ("
        f"{IC}; Wikipedia) codes MD-BD, and for the south of the Transnistrian territorial "
        "unit MD-SN, so a record for Bender would be spread over Tiraspol and Slobozia too.",
    ),
}
