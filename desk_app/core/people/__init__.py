"""From name mentions to people: clustering (``cluster``), the other forms a known person
takes in case material (``variants``: initials, usernames, lower case), the mapping's people
in and out (``mapped``), and the one entry the anonymiser uses (``gather``)."""

from desk_app.core.people.cluster import (
    LGO_TITLE,
    LGO_TITLES,
    Mention,
    PeopleIndex,
    Person,
    parse_mention,
    split_name,
)
from desk_app.core.people.gather import Move, gather_people, move_mentions
from desk_app.core.people.mapped import mapped_order, mapping_of, seed

__all__ = ["LGO_TITLE", "LGO_TITLES", "Mention", "Move", "PeopleIndex", "Person", "gather_people", "mapped_order",
           "mapping_of", "move_mentions", "parse_mention", "seed", "split_name"]
