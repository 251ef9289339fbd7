"""What families and other directories need to find each demo service: the provider's contact,
its places with their addresses and map positions, each service's description, access, areas of
need, where it runs and its weekly times.

All made up: places carry invented street names in the real towns the services cover, with map
positions near those towns; email addresses and websites are on `.example` domains and telephone
numbers are from Ofcom's ranges for drama (01632 960xxx, 0121 496 0xxx), so none reaches anyone.

Only what is blank is filled, through `providers.services`, so a record someone has changed is
left as it is and running the seed again changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import time
from decimal import Decimal

from providers import services
from providers.models import Location, Provider, Service, ServiceSchedule
from shortbreaks.councils.models import User

HOLIDAYS = "School holidays only"
TERM = "Term time only"
WEEKDAYS = "MO TU WE TH FR"

COMMUNICATION = "communication_interaction"
LEARNING = "cognition_learning"
SEMH = "social_emotional_mental_health"
SENSORY_PHYSICAL = "sensory_physical"
EVERY_NEED = [COMMUNICATION, LEARNING, SEMH, SENSORY_PHYSICAL]


@dataclass(frozen=True)
class Place:
    name: str
    address_1: str
    town: str
    county: str
    postcode: str
    latitude: str
    longitude: str
    accessibility: str = ""
    transport: str = ""


@dataclass(frozen=True)
class Offer:
    """What a service is missing: filled where blank."""

    places: tuple[str, ...]
    times: tuple[tuple[str, str, str, str], ...]  # (days, opens, closes, notes)
    needs: tuple[str, ...] = tuple(EVERY_NEED)
    description: str = ""
    accessibility: str = ""
    free: bool = False


@dataclass(frozen=True)
class Listing:
    contact: dict[str, str]
    places: tuple[Place, ...]
    offers: dict[str, Offer] = field(default_factory=dict)


def _times(days: str, opens: str, closes: str, notes: str = "") -> tuple[str, str, str, str]:
    return (days, opens, closes, notes)


def _contact(name: str, domain: str, phone: str, *, email: str = "hello") -> dict[str, str]:
    return {
        "contact_name": name,
        "contact_email": f"{email}@{domain}",
        "contact_phone": phone,
        "website": f"https://www.{domain}",
    }


HOME_CARE = (
    "Carers are trained in personal care, moving and handling, and giving medicines, and can "
    "use Makaton and picture symbols."
)
BUDDIES = (
    "Support workers are trained in communication aids such as Makaton and picture symbols, and "
    "in positive behaviour support. They choose activities every child can take part in."
)
STEP_FREE = "Step-free venue with an accessible toilet; ask about a quiet space."
YOUTH_CLUB = (
    "Youth club nights with games, music, sport and trips, open to every young person, with "
    "staff trained to include disabled young people."
)

DIRECTORY: dict[str, dict[str, Listing]] = {
    "herefordshire": {
        "Our Place Schools": Listing(
            _contact("Short breaks coordinator", "ourplace-shortbreaks.example", "01632 960101"),
            (
                Place(
                    "Our Place short breaks base",
                    "Unit 4, Holme Lacy Road",
                    "Hereford",
                    "Herefordshire",
                    "HR2 6BQ",
                    "52.041200",
                    "-2.702100",
                    STEP_FREE,
                    "Bus 37 stops on Holme Lacy Road; parking on site.",
                ),
            ),
            {
                "Specialist daytime buddying": Offer(
                    ("Our Place short breaks base",),
                    (
                        _times(WEEKDAYS, "15:30", "18:30", TERM),
                        _times("SA SU", "10:00", "16:00"),
                    ),
                    accessibility=BUDDIES,
                ),
                "School holiday activity days": Offer(
                    ("Our Place short breaks base",),
                    (_times(WEEKDAYS, "09:30", "15:30", HOLIDAYS),),
                    description="Day trips and activities in the school holidays with one-to-one "
                    "support: farm visits, climbing, swimming and crafts.",
                    accessibility="The minibus has a wheelchair lift; activities are chosen so "
                    "that every child can take part.",
                ),
            },
        ),
        "Newcross Healthcare Solutions Ltd": Listing(
            _contact("Hereford branch", "newcross-shortbreaks.example", "01632 960102"),
            (
                Place(
                    "Newcross Hereford branch",
                    "12 Commercial Road",
                    "Hereford",
                    "Herefordshire",
                    "HR1 2BB",
                    "52.058100",
                    "-2.711900",
                    "Office on the ground floor; families are usually visited at home.",
                ),
            ),
            {
                "Domiciliary care short breaks": Offer(
                    ("Newcross Hereford branch",),
                    (
                        _times(WEEKDAYS, "15:30", "21:00"),
                        _times("SA SU", "09:00", "21:00"),
                    ),
                    needs=(LEARNING, SENSORY_PHYSICAL),
                    accessibility=HOME_CARE,
                ),
                "Daytime buddying in the community": Offer(
                    ("Newcross Hereford branch",),
                    (
                        _times("SA SU", "10:00", "16:00"),
                        _times(WEEKDAYS, "10:00", "16:00", HOLIDAYS),
                    ),
                    description="One-to-one or two-to-one support for days out in Hereford and "
                    "Ross-on-Wye: parks, leisure centres, the cinema and shops.",
                    accessibility=BUDDIES,
                ),
            },
        ),
        "Aspire Living": Listing(
            _contact("Children's services", "aspire-shortbreaks.example", "01632 960103"),
            (
                Place(
                    "Aspire Living Leominster office",
                    "3 Etnam Street",
                    "Leominster",
                    "Herefordshire",
                    "HR6 8AE",
                    "52.227300",
                    "-2.738900",
                    "Ground-floor office with an accessible toilet.",
                ),
            ),
            {
                "Overnight support in the home": Offer(
                    ("Aspire Living Leominster office",),
                    (_times("FR SA", "21:00", "07:00", "On agreed nights"),),
                    needs=(LEARNING, SENSORY_PHYSICAL),
                    accessibility="Waking night carers trained in epilepsy care, overnight "
                    "repositioning and giving medicines.",
                ),
                "Community buddying": Offer(
                    ("Aspire Living Leominster office",),
                    (
                        _times("TU TH", "15:30", "18:30", TERM),
                        _times("SA", "10:00", "15:00"),
                    ),
                    description="A regular buddy for activities after school and at weekends "
                    "in the north of the county.",
                    accessibility=BUDDIES,
                ),
            },
        ),
        "Crossroads Care": Listing(
            _contact("Office", "crossroads-shortbreaks.example", "01632 960104"),
            (),
        ),
        "Wye Valley Inclusive Clubs": Listing(
            {"contact_phone": "01632 960105", "website": "https://www.wyevalleyclubs.example"},
            (
                Place(
                    "Community Hall, Hereford",
                    "Bath Street",
                    "Hereford",
                    "Herefordshire",
                    "HR1 2AA",
                    "52.055600",
                    "-2.712200",
                    "Step-free hall, changing places toilet and a quiet room.",
                    "Five minutes' walk from Hereford bus station.",
                ),
                Place(
                    "Leominster Community Centre",
                    "School Lane",
                    "Leominster",
                    "Herefordshire",
                    "HR6 8AA",
                    "52.226100",
                    "-2.741700",
                    STEP_FREE,
                ),
            ),
            {
                "Saturday club for disabled children": Offer(
                    ("Community Hall, Hereford",),
                    (_times("SA", "10:00", "15:00", TERM),),
                    description="A Saturday club with games, sport, music and cooking, run by "
                    "staff trained to include disabled children.",
                ),
                "Craft and creative holiday sessions": Offer(
                    ("Community Hall, Hereford", "Leominster Community Centre"),
                    (_times("TU TH", "10:00", "14:00", HOLIDAYS),),
                    description="Art, crafts and creative play in the school holidays, in small "
                    "groups.",
                    accessibility="Step-free halls with accessible toilets; the Hereford hall has "
                    "a changing places toilet and a quiet room.",
                ),
            },
        ),
        "Leominster Youth Club": Listing(
            _contact("Youth worker", "leominsteryouth.example", "01632 960106"),
            (
                Place(
                    "Leominster Youth Centre",
                    "Westfield Walk",
                    "Leominster",
                    "Herefordshire",
                    "HR6 8AA",
                    "52.229400",
                    "-2.745800",
                    "Ground floor, accessible toilet.",
                ),
            ),
            {
                "Youth club evenings": Offer(
                    ("Leominster Youth Centre",),
                    (_times("WE", "18:30", "21:00", TERM),),
                    description=YOUTH_CLUB,
                ),
            },
        ),
    },
    "shropshire": {
        "Action for Children": Listing(
            _contact("Shropshire short breaks", "afc-shropshire.example", "01632 960201"),
            (
                Place(
                    "Short breaks house, Shrewsbury",
                    "27 Meadow Lane",
                    "Shrewsbury",
                    "Shropshire",
                    "SY2 5AA",
                    "52.703400",
                    "-2.731500",
                    "Ground-floor bedrooms, ceiling hoists, a sensory room and an accessible "
                    "garden.",
                    "Families bring their child; transport can be arranged.",
                ),
                Place(
                    "Action for Children Shropshire office",
                    "4 Castle Gates",
                    "Shrewsbury",
                    "Shropshire",
                    "SY1 2AQ",
                    "52.710300",
                    "-2.750100",
                    "Office on the ground floor.",
                ),
            ),
            {
                "Specialised overnight stays": Offer(
                    ("Short breaks house, Shrewsbury",),
                    (_times("FR SA", "17:00", "10:00", "Planned stays, booked ahead"),),
                    needs=(COMMUNICATION, LEARNING, SENSORY_PHYSICAL),
                    accessibility="Ground-floor bedrooms, ceiling hoists, a sensory room and "
                    "staff trained in complex health needs.",
                ),
                "Community short breaks": Offer(
                    ("Action for Children Shropshire office",),
                    (
                        _times(WEEKDAYS, "15:30", "18:30", TERM),
                        _times("SA SU", "10:00", "16:00"),
                    ),
                    description="Support from a trained worker to take part in activities in "
                    "the community after school, at weekends and in the holidays.",
                    accessibility=BUDDIES,
                ),
            },
        ),
        "Severn Inclusive Play": Listing(
            {
                "contact_name": "All In team",
                "contact_phone": "01632 960202",
                "website": "https://www.severnplay.example",
            },
            (
                Place(
                    "Severn Inclusive Play hub",
                    "Sports Village, Sundorne Road",
                    "Shrewsbury",
                    "Shropshire",
                    "SY1 1AA",
                    "52.722800",
                    "-2.728000",
                    STEP_FREE,
                    "Buses 25 and 26 from Shrewsbury bus station.",
                ),
                Place(
                    "Oswestry Leisure Hall",
                    "Victoria Road",
                    "Oswestry",
                    "Shropshire",
                    "SY11 2HX",
                    "52.861200",
                    "-3.051900",
                    STEP_FREE,
                ),
            ),
            {
                "All In activity clubs": Offer(
                    ("Severn Inclusive Play hub", "Oswestry Leisure Hall"),
                    (
                        _times(WEEKDAYS, "15:30", "17:30", TERM),
                        _times("SA", "10:00", "12:00"),
                    ),
                    accessibility=STEP_FREE,
                    free=True,
                ),
                "All In holiday activities": Offer(
                    ("Severn Inclusive Play hub", "Oswestry Leisure Hall"),
                    (_times(WEEKDAYS, "10:00", "15:00", HOLIDAYS),),
                    description="Holiday activity days open to every child, with staff trained "
                    "to include disabled children.",
                    accessibility=STEP_FREE,
                    free=True,
                ),
                "Supported group activities": Offer(
                    ("Severn Inclusive Play hub",),
                    (_times("SA SU", "10:00", "13:00"),),
                    description="Small group activities for children who need extra help to "
                    "join in, with more staff to each child.",
                    accessibility=STEP_FREE,
                ),
            },
        ),
        "Oswestry Youth Club": Listing(
            _contact("Youth worker", "oswestryyouth.example", "01632 960203"),
            (
                Place(
                    "Oswestry Youth Centre",
                    "Oak Street",
                    "Oswestry",
                    "Shropshire",
                    "SY11 1LN",
                    "52.860900",
                    "-3.055200",
                    "Ground floor, accessible toilet.",
                ),
            ),
            {
                "Inclusive youth club night": Offer(
                    ("Oswestry Youth Centre",),
                    (_times("TH", "18:30", "21:00", TERM),),
                    description=YOUTH_CLUB,
                    accessibility="Ground floor with an accessible toilet.",
                    free=True,
                ),
            },
        ),
    },
    "warwickshire": {
        "Heartwood Care and Support": Listing(
            {
                "contact_name": "Referrals team",
                "contact_phone": "01632 960301",
                "website": "https://www.heartwoodcare.example",
            },
            (
                Place(
                    "Heartwood Nuneaton office",
                    "18 Abbey Street",
                    "Nuneaton",
                    "Warwickshire",
                    "CV11 4AA",
                    "52.523500",
                    "-1.470100",
                    "Ground-floor office.",
                ),
                Place(
                    "Heartwood club room, Rugby",
                    "Hillmorton Road",
                    "Rugby",
                    "Warwickshire",
                    "CV22 5AA",
                    "52.366900",
                    "-1.252600",
                    STEP_FREE,
                ),
            ),
            {
                "Community activity clubs (North and Rugby)": Offer(
                    ("Heartwood Nuneaton office", "Heartwood club room, Rugby"),
                    (
                        _times("SA", "10:00", "15:00"),
                        _times(WEEKDAYS, "10:00", "15:00", HOLIDAYS),
                    ),
                    description="Clubs at weekends and in the holidays: sport, arts and outings, "
                    "in small groups.",
                    accessibility=STEP_FREE,
                ),
                "Day support at home": Offer(
                    ("Heartwood Nuneaton office",),
                    (
                        _times(WEEKDAYS, "15:30", "19:00"),
                        _times("SA SU", "09:00", "17:00"),
                    ),
                    description="Personal care and support at home so that parent carers can "
                    "have a break.",
                    accessibility=HOME_CARE,
                ),
                "Night support at home": Offer(
                    ("Heartwood Nuneaton office",),
                    (_times("FR SA", "22:00", "07:00", "On agreed nights"),),
                    needs=(LEARNING, SENSORY_PHYSICAL),
                    description="A carer through the night in the child's own home.",
                    accessibility=HOME_CARE,
                ),
            },
        ),
        "Avon Valley Short Breaks": Listing(
            _contact("Bookings", "avonvalleybreaks.example", "01632 960302"),
            (
                Place(
                    "Avon Valley base, Stratford-upon-Avon",
                    "5 Birmingham Road",
                    "Stratford-upon-Avon",
                    "Warwickshire",
                    "CV37 6AA",
                    "52.196300",
                    "-1.712600",
                    STEP_FREE,
                ),
                Place(
                    "Leamington Spa community hall",
                    "Warwick Street",
                    "Leamington Spa",
                    "Warwickshire",
                    "CV32 4AA",
                    "52.290100",
                    "-1.537200",
                    STEP_FREE,
                ),
            ),
            {
                "Supported exploring": Offer(
                    ("Avon Valley base, Stratford-upon-Avon",),
                    (
                        _times("SA SU", "10:00", "16:00"),
                        _times(WEEKDAYS, "15:30", "18:00", TERM),
                    ),
                    accessibility=BUDDIES,
                ),
                "Saturday activity club (South)": Offer(
                    (
                        "Avon Valley base, Stratford-upon-Avon",
                        "Leamington Spa community hall",
                    ),
                    (_times("SA", "10:00", "14:00"),),
                    description="A Saturday club for disabled children in Stratford-upon-Avon "
                    "and Leamington Spa: sport, cooking, music and outings.",
                    accessibility=STEP_FREE,
                ),
            },
        ),
        "Arden Children's Services": Listing(
            _contact("Arden House", "ardenchildren.example", "01632 960303"),
            (
                Place(
                    "Arden House",
                    "9 Coten End",
                    "Warwick",
                    "Warwickshire",
                    "CV34 4AA",
                    "52.283600",
                    "-1.577500",
                    "Ground-floor bedrooms with hoists, a wet room, a sensory room and a garden.",
                ),
            ),
            {
                "Residential overnight short breaks": Offer(
                    ("Arden House",),
                    (_times("FR SA", "16:00", "10:00", "Planned stays, booked ahead"),),
                    needs=(COMMUNICATION, LEARNING, SENSORY_PHYSICAL),
                    accessibility="Ground-floor bedrooms with hoists, a wet room and a sensory "
                    "room.",
                ),
            },
        ),
        "Nuneaton Youth and Community Centre": Listing(
            _contact("Youth worker", "nuneatonyouth.example", "01632 960304"),
            (
                Place(
                    "Nuneaton Youth and Community Centre",
                    "Riversley Road",
                    "Nuneaton",
                    "Warwickshire",
                    "CV11 5QS",
                    "52.519500",
                    "-1.462300",
                    "Ground floor, accessible toilet.",
                ),
            ),
            {
                "Youth club evenings": Offer(
                    ("Nuneaton Youth and Community Centre",),
                    (_times("MO WE", "18:30", "21:00", TERM),),
                    description=YOUTH_CLUB,
                    accessibility="Ground floor with an accessible toilet.",
                    free=True,
                ),
            },
        ),
    },
    "medway": {
        "Rivermead Inclusive Trust": Listing(
            _contact("ROCC office", "rivermead-rocc.example", "01632 960401"),
            (
                Place(
                    "ROCC at Rivermead School",
                    "Forge Lane",
                    "Gillingham",
                    "Kent",
                    "ME7 1UF",
                    "51.389100",
                    "0.548000",
                    "Specialist school site: step-free, hoists, changing places toilet, sensory "
                    "room.",
                    "Drop-off at the school gate on Forge Lane.",
                ),
                Place(
                    "Hoo village hall",
                    "Church Street",
                    "Hoo",
                    "Kent",
                    "ME3 9AL",
                    "51.419000",
                    "0.562000",
                    STEP_FREE,
                ),
            ),
            {
                "ROCC respite sessions": Offer(
                    ("ROCC at Rivermead School",),
                    (
                        _times("SA", "10:00", "16:00", "Alternate Saturdays"),
                        _times(WEEKDAYS, "10:00", "16:00", HOLIDAYS),
                    ),
                    accessibility="Step-free site with hoists, a changing places toilet and a "
                    "sensory room.",
                ),
                "ROCC after-school club": Offer(
                    ("ROCC at Rivermead School",),
                    (_times("MO TU WE TH", "15:15", "17:45", TERM),),
                    description="An after-school club at ROCC for children with complex needs: "
                    "play, sensory activities and a snack.",
                    accessibility="Step-free site with hoists, a changing places toilet and a "
                    "sensory room.",
                ),
                "ROCC satellite provision in Hoo": Offer(
                    ("Hoo village hall",),
                    (_times("SA", "10:00", "15:00"),),
                    accessibility=STEP_FREE,
                ),
            },
        ),
        "Chatham Inclusive Sports Club": Listing(
            _contact("Club secretary", "chathaminclusivesports.example", "01632 960402"),
            (
                Place(
                    "Riverside Sports Hall",
                    "Dock Road",
                    "Chatham",
                    "Kent",
                    "ME4 4AA",
                    "51.385500",
                    "0.527900",
                    "Step-free sports hall with accessible changing rooms.",
                ),
            ),
            {
                "Inclusive multi-sports sessions": Offer(
                    ("Riverside Sports Hall",),
                    (
                        _times("WE", "16:00", "17:30", TERM),
                        _times("SA", "10:00", "12:00"),
                    ),
                    description="Multi-sports, football and swimming sessions adapted so that "
                    "every child can play.",
                    accessibility="Step-free sports hall with accessible changing rooms.",
                ),
            },
        ),
        "Medway Go": Listing(
            _contact("Holiday programme", "medwaygo.example", "01632 960403"),
            (
                Place(
                    "Strood Community Hub",
                    "Gun Lane",
                    "Strood",
                    "Kent",
                    "ME2 4UF",
                    "51.394100",
                    "0.496400",
                    STEP_FREE,
                ),
            ),
            {
                "Holiday activities and food": Offer(
                    ("Strood Community Hub",),
                    (_times("MO TU WE TH", "10:00", "14:00", HOLIDAYS),),
                    description="Holiday activities with a healthy meal for children and young "
                    "people, with places for disabled children.",
                    accessibility=STEP_FREE,
                    free=True,
                ),
            },
        ),
        "Medway Youth Service": Listing(
            _contact("Youth service", "medwayyouth.example", "01632 960404"),
            (
                Place(
                    "Strood Youth Centre",
                    "Montfort Road",
                    "Strood",
                    "Kent",
                    "ME2 3EX",
                    "51.396800",
                    "0.487300",
                    "Ground floor, accessible toilet.",
                ),
                Place(
                    "Chatham Youth Centre",
                    "Luton Road",
                    "Chatham",
                    "Kent",
                    "ME4 5AA",
                    "51.377000",
                    "0.540500",
                    "Ground floor, accessible toilet.",
                ),
                Place(
                    "Rainham Youth Centre",
                    "Parkwood Green",
                    "Rainham",
                    "Kent",
                    "ME8 9PN",
                    "51.350900",
                    "0.605500",
                    "Ground floor, accessible toilet.",
                ),
            ),
            {
                "Youth club sessions": Offer(
                    ("Strood Youth Centre", "Chatham Youth Centre", "Rainham Youth Centre"),
                    (_times("TU TH", "18:00", "20:30", TERM),),
                    description=YOUTH_CLUB,
                    accessibility="Ground floor with an accessible toilet at each centre.",
                    free=True,
                ),
            },
        ),
    },
    "birmingham": {
        "Harborne Children's Respite": Listing(
            _contact("Registered manager", "harbornerespite.example", "0121 496 0501"),
            (
                Place(
                    "Harborne short breaks home",
                    "40 Lordswood Avenue",
                    "Birmingham",
                    "West Midlands",
                    "B17 9AA",
                    "52.459700",
                    "-1.953000",
                    "Ground-floor bedrooms with hoists, a wet room and a sensory garden.",
                ),
            ),
            {
                "Overnight short breaks": Offer(
                    ("Harborne short breaks home",),
                    (_times("FR SA", "16:30", "10:00", "Planned stays, booked ahead"),),
                    needs=(COMMUNICATION, LEARNING, SENSORY_PHYSICAL),
                    description="Planned overnight stays in a small children's home in Harborne, "
                    "with activities and outings.",
                    accessibility="Ground-floor bedrooms with hoists, a wet room and a sensory "
                    "garden.",
                ),
            },
        ),
        "Saltley Family Support": Listing(
            _contact("Family support team", "saltleyfamily.example", "0121 496 0502"),
            (
                Place(
                    "Saltley Family Support office",
                    "112 Alum Rock Road",
                    "Birmingham",
                    "West Midlands",
                    "B8 1AA",
                    "52.489000",
                    "-1.858000",
                    "Ground-floor office with an accessible toilet.",
                ),
            ),
            {
                "Specialist community support": Offer(
                    ("Saltley Family Support office",),
                    (
                        _times(WEEKDAYS, "15:30", "18:30", TERM),
                        _times("SA", "10:00", "16:00"),
                    ),
                    description="One-to-one support to take part in activities in the "
                    "community: sport, swimming, parks and trips.",
                    accessibility=BUDDIES,
                ),
                "Support at home": Offer(
                    ("Saltley Family Support office",),
                    (
                        _times(WEEKDAYS, "15:30", "19:30"),
                        _times("SA SU", "09:00", "13:00"),
                    ),
                    needs=(LEARNING, SENSORY_PHYSICAL),
                    description="Care and support in the child's home after school and at "
                    "weekends.",
                    accessibility=HOME_CARE,
                ),
            },
        ),
        "Brum Inclusive Play": Listing(
            _contact("Play team", "bruminclusiveplay.example", "0121 496 0503"),
            (
                Place(
                    "Sparkhill Play Centre",
                    "Stratford Road",
                    "Birmingham",
                    "West Midlands",
                    "B11 4AA",
                    "52.455800",
                    "-1.861100",
                    STEP_FREE,
                ),
                Place(
                    "Erdington Community Hall",
                    "High Street",
                    "Birmingham",
                    "West Midlands",
                    "B23 6RH",
                    "52.523300",
                    "-1.839200",
                    STEP_FREE,
                ),
                Place(
                    "Northfield Adventure Playground",
                    "Church Road",
                    "Birmingham",
                    "West Midlands",
                    "B31 2LB",
                    "52.414700",
                    "-1.966400",
                    "Accessible play equipment, step-free paths and an accessible toilet.",
                ),
            ),
            {
                "Inclusive holiday play schemes": Offer(
                    (
                        "Sparkhill Play Centre",
                        "Erdington Community Hall",
                        "Northfield Adventure Playground",
                    ),
                    (_times(WEEKDAYS, "10:00", "15:00", HOLIDAYS),),
                    description="Play schemes in the school holidays with staff trained to "
                    "include disabled children.",
                    accessibility=STEP_FREE,
                ),
                "After-school clubs for disabled children": Offer(
                    (
                        "Sparkhill Play Centre",
                        "Erdington Community Hall",
                        "Northfield Adventure Playground",
                    ),
                    (_times("MO WE", "15:30", "17:30", TERM),),
                    description="After-school clubs with play, games and crafts for disabled "
                    "children.",
                    accessibility=STEP_FREE,
                ),
                "Family fun days": Offer(
                    ("Northfield Adventure Playground",),
                    (_times("SU", "11:00", "15:00", "One Sunday a month"),),
                    description="Family days with inclusive play, sensory activities and a "
                    "picnic, open to every family.",
                    accessibility="Accessible play equipment, step-free paths and an accessible "
                    "toilet.",
                    free=True,
                ),
            },
        ),
        "Northfield Youth Club": Listing(
            _contact("Youth worker", "northfieldyouth.example", "0121 496 0504"),
            (
                Place(
                    "Northfield Youth Club",
                    "Bristol Road South",
                    "Birmingham",
                    "West Midlands",
                    "B31 2AA",
                    "52.415800",
                    "-1.969300",
                    "Ground floor, accessible toilet.",
                ),
            ),
            {
                "Youth club evenings": Offer(
                    ("Northfield Youth Club",),
                    (_times("TU TH", "18:30", "21:00", TERM),),
                    description=YOUTH_CLUB,
                    accessibility="Ground floor with an accessible toilet.",
                    free=True,
                ),
            },
        ),
    },
}

PROVIDER_CONTACT = ("contact_name", "contact_email", "contact_phone", "website")


def _blank(record, fields) -> dict:
    return {name: value for name, value in fields.items() if not getattr(record, name)}


def _clock(value: str) -> time:
    return time.fromisoformat(value)


def fill(actor: User, provider: Provider, listing: Listing) -> None:
    """Fill what this provider and its services are missing; leave what they hold."""
    contact = _blank(provider, listing.contact)
    if contact:
        current = {name: getattr(provider, name) for name in PROVIDER_CONTACT}
        services.provider_update(actor=actor, provider=provider, **{**current, **contact})
    places = {location.name: location for location in Location.objects.filter(provider=provider)}
    for place in listing.places:
        if place.name not in places:
            places[place.name] = services.location_create(
                actor=actor,
                provider=provider,
                name=place.name,
                address_1=place.address_1,
                town=place.town,
                county=place.county,
                postcode=place.postcode,
                latitude=Decimal(place.latitude),
                longitude=Decimal(place.longitude),
                accessibility=place.accessibility,
                transport=place.transport,
            )
    for title, offer in listing.offers.items():
        service = Service.objects.filter(provider=provider, title=title).first()
        if service is None:
            continue
        changes = _blank(
            service,
            {
                "description": offer.description,
                "accessibility": offer.accessibility,
                "needs": list(offer.needs),
            },
        )
        changes = {name: value for name, value in changes.items() if value}
        if offer.free and service.price is None:
            changes |= {"price": Decimal("0"), "price_unit": "session"}
        has_places = service.locations.exists()
        if changes or not has_places:
            services.service_update(
                actor=actor,
                service=service,
                locations=None if has_places else [places[name] for name in offer.places],
                **changes,
            )
        if not ServiceSchedule.objects.filter(service=service).exists():
            for days, opens, closes, notes in offer.times:
                services.schedule_add(
                    actor=actor,
                    service=service,
                    days=days.split(),
                    opens_at=_clock(opens),
                    closes_at=_clock(closes),
                    notes=notes,
                )
