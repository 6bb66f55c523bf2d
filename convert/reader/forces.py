"""Each area's police force by its proper name: the publisher when the seed names none.

The archive's 46 areas are the 43 territorial forces of England and Wales less North Wales, plus
British Transport, Civil Nuclear, Northern Ireland and Scotland; North Wales is listed too so a
larger archive needs nothing more. Names are those the forces use of themselves on their sites
(the sample's titles give the same ones where they name a force).
"""

from __future__ import annotations

FORCES: dict[str, str] = {
    "Avon and Somerset": "Avon and Somerset Police",
    "Bedfordshire": "Bedfordshire Police",
    "British Transport": "British Transport Police",
    "Cambridgeshire": "Cambridgeshire Constabulary",
    "Cheshire": "Cheshire Constabulary",
    "City of London": "City of London Police",
    "Civil Nuclear": "Civil Nuclear Constabulary",
    "Cleveland": "Cleveland Police",
    "Cumbria": "Cumbria Constabulary",
    "Derbyshire": "Derbyshire Constabulary",
    "Devon and Cornwall": "Devon and Cornwall Police",
    "Dorset": "Dorset Police",
    "Durham": "Durham Constabulary",
    "Dyfed-Powys": "Dyfed-Powys Police",
    "Essex": "Essex Police",
    "Gloucestershire": "Gloucestershire Constabulary",
    "Greater Manchester": "Greater Manchester Police",
    "Gwent": "Gwent Police",
    "Hampshire": "Hampshire Constabulary",
    "Hertfordshire": "Hertfordshire Constabulary",
    "Humberside": "Humberside Police",
    "Kent": "Kent Police",
    "Lancashire": "Lancashire Constabulary",
    "Leicestershire": "Leicestershire Police",
    "Lincolnshire": "Lincolnshire Police",
    "Merseyside": "Merseyside Police",
    "Metropolitan": "Metropolitan Police",
    "Norfolk": "Norfolk Constabulary",
    "North Wales": "North Wales Police",
    "North Yorkshire": "North Yorkshire Police",
    "Northamptonshire": "Northamptonshire Police",
    "Northern Ireland": "Police Service of Northern Ireland",
    "Northumbria": "Northumbria Police",
    "Nottinghamshire": "Nottinghamshire Police",
    "Scotland": "Police Scotland",
    "South Wales": "South Wales Police",
    "South Yorkshire": "South Yorkshire Police",
    "Staffordshire": "Staffordshire Police",
    "Suffolk": "Suffolk Constabulary",
    "Surrey": "Surrey Police",
    "Sussex": "Sussex Police",
    "Thames Valley": "Thames Valley Police",
    "Warwickshire": "Warwickshire Police",
    "West Mercia": "West Mercia Police",
    "West Midlands": "West Midlands Police",
    "West Yorkshire": "West Yorkshire Police",
    "Wiltshire": "Wiltshire Police",
}



def _key(area: str) -> str:
    return " ".join(area.casefold().replace("-", " ").replace("&", " and ").split())


_BY_KEY = {_key(area): name for area, name in FORCES.items()}


def force_name(area: str) -> str | None:
    """The force of an area (any case and spacing: `north  yorkshire`, `Dyfed Powys`,
    `Avon & Somerset`), if known."""
    return _BY_KEY.get(_key(area))
