"""Finding personal data in a document: Presidio over the offline spaCy pipeline plus the
project's recognisers, with spans cleaned and overlaps resolved.

One ``Detector`` owns the heavy engine; build it once per process and reuse it for every
file (the CLI, the batch workers and the GUI's background worker all do).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

import regex

from desk_app.core.detect.nlp import keep_offline, load_spacy, model_path
from desk_app.core.detect.reflow import analysis_units
from desk_app.core.detect.wrapped import join_wrapped
from desk_app.core.document import SourceDocument
from desk_app.core.entities import IDENTIFIER_TYPES, PERSON, PRIORITY, Detection
from desk_app.core.names import (
    ACRONYMS,
    ADULT_KIN,
    CHILD_WORDS,
    KIN_GENDER,
    ORG_NOUNS,
    POST_NOMINALS,
    TITLE_RE,
    UK_COUNTIES,
    initials_of,
    is_name_word,
    is_place_context,
    lookalike_spans,
)
from desk_app.core.regexcache import rx


def _presidio_engine(nlp):  # noqa: ANN001, ANN202 - presidio types are imported lazily
    keep_offline()
    from presidio_analyzer import AnalyzerEngine, RecognizerRegistry
    from presidio_analyzer.context_aware_enhancers import LemmaContextAwareEnhancer
    from presidio_analyzer.nlp_engine import NerModelConfiguration, SpacyNlpEngine
    from presidio_analyzer.predefined_recognizers import (
        EmailRecognizer,
        NhsRecognizer,
        PhoneRecognizer,
        SpacyRecognizer,
        UkNinoRecognizer,
    )

    from desk_app.core.detect.recognizers import project_recognizers

    keep_offline()  # tldextract was imported by Presidio just now

    class OfflineSpacyNlpEngine(SpacyNlpEngine):
        """Presidio's spaCy engine around an already-loaded pipeline: it never loads or
        downloads a model by name. Lemmas are lower-cased tokens, which is what the
        context enhancer needs, since the lemmatiser is not loaded."""

        def __init__(self, loaded) -> None:  # noqa: ANN001
            super().__init__(
                models=[{"lang_code": "en", "model_name": str(model_path())}],
                ner_model_configuration=NerModelConfiguration(
                    labels_to_ignore=["CARDINAL", "DATE", "EVENT", "FAC", "GPE", "LANGUAGE", "LAW",
                                      "LOC", "MONEY", "NORP", "ORDINAL", "ORG", "PERCENT", "PRODUCT",
                                      "QUANTITY", "TIME", "WORK_OF_ART"]),
            )
            self.nlp = {"en": loaded}

        def load(self) -> None:
            pass

        def _doc_to_nlp_artifact(self, doc, language):  # noqa: ANN001, ANN202
            artifacts = super()._doc_to_nlp_artifact(doc, language)
            artifacts.lemmas = [t.lower_ for t in doc]
            return artifacts

    class _Shallow(list):
        def __deepcopy__(self, memo):  # noqa: ANN001, ANN204
            return list(self)

    class ShallowCopyEnhancer(LemmaContextAwareEnhancer):
        """Presidio's context enhancer, without its deep copy of every result and its
        explanation (a sixth of analysis time): the engine drops the originals anyway."""

        def enhance_using_context(self, text, raw_results, nlp_artifacts, recognizers, context=None):  # noqa: ANN001, ANN201
            return super().enhance_using_context(text, _Shallow(raw_results), nlp_artifacts, recognizers, context)

    engine = OfflineSpacyNlpEngine(nlp)
    recognizers = [
        SpacyRecognizer(supported_entities=[PERSON]),
        EmailRecognizer(),
        PhoneRecognizer(supported_regions=("GB",)),
        NhsRecognizer(),
        UkNinoRecognizer(),
        *project_recognizers(),
    ]
    registry = RecognizerRegistry(recognizers=recognizers, supported_languages=["en"])
    return engine, AnalyzerEngine(registry=registry, nlp_engine=engine, supported_languages=["en"],
                                  context_aware_enhancer=ShallowCopyEnhancer())


class Detector:
    """The loaded engine. Construction takes a second or two (model load); analysis of a
    typical case file takes a few tens of milliseconds."""

    ENTITIES = [PERSON, *IDENTIFIER_TYPES]

    def __init__(self) -> None:
        self.nlp = load_spacy()
        self.nlp_engine, self.analyzer = _presidio_engine(self.nlp)

    def detect(self, doc: SourceDocument) -> list[Detection]:
        """All detections in one document, cleaned, overlaps resolved, in text order."""
        return self.detect_many([doc])[0]

    def detect_many(self, docs: Sequence[SourceDocument], batch_size: int = 64,
                    tick: Callable[[int, int], None] | None = None) -> list[list[Detection]]:
        """Detections for several documents, paragraphs batched through ``nlp.pipe``.

        ``tick(done, total)`` is called after every paragraph: the GUI's worker uses it to
        report progress, to stop when cancelled (by raising) and to hand the GIL back.
        """
        # (a wrapped paragraph of a text file, PDF or scan is read whole: see reflow.py)
        items = [(text, (i, start)) for i, d in enumerate(docs) for text, start in analysis_units(d)]
        found: list[list[Detection]] = [[] for _ in docs]
        artifacts = self.nlp_engine.process_batch(items, language="en", batch_size=batch_size, as_tuples=True)
        for done, (text, nlp_artifacts, (i, offset)) in enumerate(artifacts, 1):
            if tick is not None:
                tick(done, len(items))
            results = self.analyzer.analyze(text=text, language="en", entities=self.ENTITIES,
                                            nlp_artifacts=nlp_artifacts)
            for r in results:
                detector = (r.recognition_metadata or {}).get("recognizer_name", "presidio")
                found[i].append(Detection(offset + r.start, offset + r.end, text[r.start:r.end],
                                          r.entity_type, round(float(r.score), 2), detector))
        # (imported here: the recognisers' package imports Presidio, which the window must not
        # wait for before it shows itself)
        from desk_app.core.detect.recognizers.structure import structural_detections

        for i, doc in enumerate(docs):
            found[i].extend(structural_detections(doc))   # names by their slot: headers, fields, sign-offs
        from desk_app.core.detect.recognizers.blocks import document_identifiers  # (imports Detection)

        for i, doc in enumerate(docs):   # cues across paragraphs: DOB⏎date, address blocks, CSV columns
            found[i].extend(document_identifiers(doc))
        out = []
        for doc, f in zip(docs, found, strict=True):
            detections = resolve(doc.text, clean(doc.text, f))
            if doc.kind != "docx":   # a Word paragraph is the writer's own: no name crosses one
                detections = resolve(doc.text, join_wrapped(doc.text, detections))
            out.append(_not_lookalikes(doc.text, detections))
        return out


# (horizontal space only: a title at the end of one paragraph is not part of the next)
_TITLE_BEFORE = regex.compile(rf"\b{TITLE_RE}\.?(?:[ \t]+(?:and|&)[ \t]+{TITLE_RE}\.?)?[ \t\u00a0]+$")
_ORG_LAST = regex.compile(rf"\s{ORG_NOUNS}$")
_COUNTY = regex.compile(UK_COUNTIES)
# 'Izmir State Security Court', 'Lublin Remand Centre': a spaCy span one or two capitalised
# words before a body's noun is the first word of that body's name
_ORG_SOON = regex.compile(rf"(?:[ \t]+\p{{Lu}}[\p{{L}}-]+){{1,2}}[ \t]+{ORG_NOUNS}")
_POST_NOMINALS_AT_END = regex.compile(
    r"(?:,?[ \t]+(?:" + "|".join(sorted(POST_NOMINALS, key=len, reverse=True)) + r")\.?)+$")
_KIN_LEAD = regex.compile(r"(?:" + "|".join(sorted({k.capitalize() for k in (*KIN_GENDER, *CHILD_WORDS, *ADULT_KIN)},
                                                     key=len, reverse=True)) + r")[ \t]+")
_TRAILING = "'’.,;:)!?\"”-–— \t\n"
_SPACED_DASH = regex.compile(r"[ \t]+[-–—][ \t]+")


def clean(text: str, detections: Iterable[Detection]) -> list[Detection]:
    """Trim spans of punctuation, possessives and stray words, and extend a spaCy person
    span over a title just before it ('Mrs' + 'Cheryl Laffey')."""
    out = []
    for d in detections:
        s, e = d.start, d.end
        if d.entity != PERSON:
            while e > s and text[e - 1] in " .,;:)":
                e -= 1
            out.append(Detection(s, e, text[s:e], d.entity, d.score, d.detector))
            continue
        while e > s:
            if text[s:e].endswith(("'s", "’s", "'S", "’S")):
                e -= 2
            elif text[e - 1] in _TRAILING and not (
                    text[e - 1] == "." and rx(r"(?:^|[\s.])\p{Lu}\.$").search(text[s:e])):
                e -= 1  # (the full stop of an initial, 'Mr D.R.', stays)
            else:
                break
        while s < e and text[s] in "'‘\"“(-–— \t":
            s += 1
        dash = _SPACED_DASH.search(text, s, e)
        if dash and d.detector != "SpacyRecognizer":
            e = dash.start()   # 'Sgt Aoife Keane – Calderwick Neighbourhood Policing': a name never holds a spaced dash
        tail = list(rx(r"\S+").finditer(text[s:e]))
        while len(tail) >= 2 and tail[-1].group().rstrip(".,:") in ACRONYMS and d.detector != "SpacyRecognizer" \
                and not all(w.group().isupper() for w in tail[:-1]):
            # 'Mr Frank Medlicott DOB: …', 'Mrs Hughes NHS no': a field's label after the name, read
            # as a surname in capitals where the columns' spaces were lost (a scan, a PDF)
            tail.pop()
            e = s + tail[-1].end()
        post = _POST_NOMINALS_AT_END.search(text, s, e)
        if post and post.start() > s and len(text[s:post.start()].split()) >= 2:
            e = post.start()   # 'Dr Emeka Jideofor MBBS MRCGP': the letters after the name are not it
        if d.detector == "SpacyRecognizer" and s < e:
            lead = _KIN_LEAD.match(text, s, e)
            if lead and lead.end() < e:
                s = lead.end()   # 'Son Femi', 'Mum Jade': the kinship word before the name is not part of it
            all_words = list(rx(r"\S+").finditer(text[s:e]))
            words = [w for w in all_words if is_name_word(w.group().rstrip("'’"))]
            if not words or any(w.group()[:1].isupper() for w in all_words if w not in words):
                continue  # 'Elective Home Education', 'Key Facts': capitalised non-name words
            if dash:
                # 'Aoife Keane – Calderwick': the name before the dash (a span with a body's word
                # in it, 'Harrowfield MBC – Ombudsman', was dropped whole just above)
                e = dash.start()
                all_words = [w for w in all_words if s + w.end() <= e]
                words = [w for w in words if s + w.end() <= e]
                if not words:
                    continue
            if len(words) == 1 and words[0].group().isupper():
                continue  # 'PCN', 'EHCP': acronyms, not people
            if len(all_words) > 1 and all_words[-1].group().rstrip(".,") in ACRONYMS:
                continue  # 'Calderwick ASC', 'Derby NHS': a body named with its acronym
            if len(all_words) > 2 and _own_initials(all_words[-1].group(), [w.group() for w in all_words[:-1]]):
                # 'Kerry Brennan KB': the name, then its initials (a mention of their own)
                e = s + all_words[-2].end()
                all_words = all_words[:-1]
                words = [w for w in words if w.end() <= e - s]
            if _COUNTY.fullmatch(text[s:e]):
                continue  # 'Derbyshire', 'Vale of Glamorgan': a county, never a person
            if all_words[0].group() == "Royal":
                continue  # 'Royal Calderwick Infirmary': a body
            if is_place_context(text, s, e) or _ORG_LAST.search(text[s:e]) or (
                    len(all_words) == 1 and _ORG_SOON.match(text, e)):
                continue  # 'Merthyr Tydfil County Borough Council', 'St Mary's', 'Nelson Mandela House'
            # spaCy spans like 'Council Cheryl' or 'Cheryl Laffey Back': trim stray words
            s, e = s + words[0].start(), s + words[-1].end()
            if text[s:e].endswith(("'s", "’s")):
                e -= 2
            m = _TITLE_BEFORE.search(text, max(0, s - 20), s)
            if m:
                s = m.start()
        if s < e:
            out.append(Detection(s, e, text[s:e], d.entity, d.score, d.detector))
    return out


def _own_initials(token: str, words: Sequence[str]) -> bool:
    """'KB' after 'Kerry Brennan', 'TLB' or 'LB' after 'Tyler Lacey-Brooks' (not after a name
    in capitals, whose last word may be a short surname)."""
    return token.isalpha() and token.isupper() and not any(w.isupper() for w in words) \
        and token in initials_of(" ".join(words))


def _not_lookalikes(text: str, detections: list[Detection]) -> list[Detection]:
    """Drop person detections inside an organisation that looks like a person ('Travis
    Perkins', 'Queen Mary's'): the same decision for every occurrence in the case."""
    spans = lookalike_spans(text)
    if not spans:
        return detections
    return [d for d in detections if d.entity != PERSON or not any(s < d.end and d.start < e for s, e in spans)]


def resolve(text: str, detections: list[Detection]) -> list[Detection]:
    """Merge overlapping detections into their union span, typed by priority.

    Presidio's own rule (the larger span wins, partial overlaps are replaced separately)
    can splice placeholders into each other; a union span can never corrupt text.
    """
    merged: list[Detection] = []
    for d in sorted(detections, key=lambda d: (d.start, -d.end)):
        if merged and d.start < merged[-1].end:
            last = merged[-1]
            best = max((last, d), key=lambda x: (PRIORITY.get(x.entity, 0), x.end - x.start, x.score))
            detectors = "+".join(sorted(set(last.detector.split("+")) | {d.detector}))
            start, end = last.start, max(last.end, d.end)
            merged[-1] = Detection(start, end, text[start:end], best.entity, max(last.score, d.score),
                                   detectors if best.entity == PERSON else best.detector)
        else:
            merged.append(d)
    return merged
