"""Sectors (application fields) and the categories that mark them, in source flags and definitions.

A sector is a stable kebab-case id mapped to the category names that mean it: CSET/1790's own application
field flags (``categories`` table, scheme ``cset1790``) and the categories of aieco definitions (the
``classified`` table), which use the sector id itself.

>>> SECTORS["agriculture"]
('Agricultural',)
"""

from __future__ import annotations

from aieco.errors import UnknownName

# sector id -> CSET/1790 application-field flags (Application_Fields_Categories.md)
SECTORS: dict[str, tuple[str, ...]] = {
    "agriculture": ("Agricultural",),
    "life-sciences": ("Life_Sciences",),  # 7b5b096 heads these flags Security__eg_cybersecurity (read as such)
    "education": ("Education",),
    "banking-finance": ("Banking_and_Finance",),
    "business": ("Business",),  # only in the f0c0114 version of CSET/1790 (7b5b096's "Business" is Networks)
    "government": ("Computing_in_Government",),
    "document-management": ("Document_Mgt_and_Publishing",),
    "energy": ("Energy_Management",),
    "entertainment": ("Entertainment",),
    "industry-manufacturing": ("Industrial_and_Manufacturing",),
    "military": ("Military",),
    "nanotechnology": ("Nanotechnology",),
    "networks": ("Networks__eg_social_IOT_etc",),  # 7b5b096 heads these flags Business (read as such)
    "personal-devices": ("Personal_Devices_and_Computing",),
    "physical-sciences": ("Physical_Sciences_and_Engineering",),
    "security": ("Security__eg_cybersecurity",),  # only in the f0c0114 version of CSET/1790
    "semiconductors": ("Semiconductors",),
    "telecommunications": ("Telecommunications",),
    "transportation": ("Transportation",),
}
ALIASES = {"healthcare": "life-sciences", "health": "life-sciences", "agricultural": "agriculture",
           "life_sciences": "life-sciences", "finance": "banking-finance"}


def sector_id(name: str) -> str:
    key = name.strip().lower().replace(" ", "-")
    key = ALIASES.get(key, key)
    if key not in SECTORS:
        raise UnknownName(f"unknown sector {name!r}; known sectors: {', '.join(SECTORS)}")
    return key


def flag_categories(name: str) -> tuple[str, ...]:
    """The source flags (categories.category) that mark sector ``name``."""
    return SECTORS[sector_id(name)]
