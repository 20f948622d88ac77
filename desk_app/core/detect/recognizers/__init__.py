"""Decision Desk's own Presidio recognisers, one family per module: ``names`` (people)
and ``identifiers`` (everything else that identifies someone)."""

from __future__ import annotations

from presidio_analyzer import LocalRecognizer

from desk_app.core.detect.recognizers.identifiers import (
    DateOfBirthRecognizer,
    HouseAddressRecognizer,
    LooseStreetAddressRecognizer,
    PersonalReferenceRecognizer,
    StatedIdentifierRecognizer,
    UkPhoneRecognizer,
    uk_address_recognizer,
    uk_postcode_recognizer,
)
from desk_app.core.detect.recognizers.names import (
    KinshipNameRecognizer,
    SurnameFirstRecognizer,
    TitledNameRecognizer,
)


def project_recognizers() -> list[LocalRecognizer]:
    """The project's recognisers, in the order they are registered."""
    return [
        TitledNameRecognizer(),
        KinshipNameRecognizer(),
        SurnameFirstRecognizer(),
        uk_postcode_recognizer(),
        uk_address_recognizer(),
        DateOfBirthRecognizer(),
        UkPhoneRecognizer(),
        StatedIdentifierRecognizer(),
        PersonalReferenceRecognizer(),
        LooseStreetAddressRecognizer(),
        HouseAddressRecognizer(),
    ]
