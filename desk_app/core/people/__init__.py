"""From name mentions to people: clustering (``cluster``) and the other forms a known
person takes in case material (``variants``: initials, usernames, lower case)."""

from desk_app.core.people.cluster import (
    LGO_TITLE,
    LGO_TITLES,
    Mention,
    PeopleIndex,
    Person,
    parse_mention,
    split_name,
)

__all__ = ["LGO_TITLE", "LGO_TITLES", "PeopleIndex", "Mention", "Person", "parse_mention", "split_name"]
