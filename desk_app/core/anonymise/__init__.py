"""Anonymising a case: detections -> people -> labels -> replacements, for every document
(``case``), each mention rewritten in its sentence (``rewrite``), what was left in place on
purpose (``possible``), and the reviewer's decisions over all of it (``review``,
``consistency``). ``result`` holds what the anonymiser hands on to the writers and the report."""

from desk_app.core.anonymise.case import anonymise_case
from desk_app.core.anonymise.possible import possible_names
from desk_app.core.anonymise.result import AnonymisedCase, PossibleName, ReportRow

__all__ = ["AnonymisedCase", "PossibleName", "ReportRow", "anonymise_case", "possible_names"]
