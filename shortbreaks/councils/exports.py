"""The council's teams as CSV and Excel, for the API (shortbreaks.exports)."""

from shortbreaks.exports import Column, Export

TEAMS = Export(
    name="teams",
    object_type="councils.team",
    columns=(
        Column("Team", "pk"),
        Column("Name", "name"),
        Column("Organisation", "organisation.name"),
        Column("Tiers", lambda team: list(team.organisation.tiers) if team.organisation else []),
    ),
)
