"""Every XML namespace and tag name the Word toolkit uses, declared once.

The reader, the writer, the scrub and the identifier renaming all address the same
WordprocessingML elements; spelling a namespace in one place means a typo cannot make one
of them silently miss what the others see. (The leak scan keeps its own copies on purpose:
it must not share the writer's view of the package.)
"""

from __future__ import annotations

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
M_NS = "http://schemas.openxmlformats.org/officeDocument/2006/math"
MC_NS = "http://schemas.openxmlformats.org/markup-compatibility/2006"
A_NS = "http://schemas.openxmlformats.org/drawingml/2006/main"
C_NS = "http://schemas.openxmlformats.org/drawingml/2006/chart"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
O_NS = "urn:schemas-microsoft-com:office:office"
PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
STRICT_W_NS = "http://purl.oclc.org/ooxml/wordprocessingml/main"
CP_NS = "http://schemas.openxmlformats.org/package/2006/metadata/core-properties"
DC_NS = "http://purl.org/dc/elements/1.1/"
DCTERMS_NS = "http://purl.org/dc/terms/"
EP_NS = "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"
CUSTOM_PROPS_NS = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"


def w(tag: str) -> str:
    """Clark name for a WordprocessingML tag (``w("t")`` -> ``{ns}t``)."""
    return f"{{{W_NS}}}{tag}"


W_P, W_R, W_T = w("p"), w("r"), w("t")
W_TBL, W_TXBX = w("tbl"), w("txbxContent")
W_DEL, W_MOVE_FROM, W_DEL_TEXT = w("del"), w("moveFrom"), w("delText")
W_INS, W_MOVE_TO, W_RPR = w("ins"), w("moveTo"), w("rPr")
W_INSTR_TEXT, W_DEL_INSTR_TEXT = w("instrText"), w("delInstrText")
W_SYM, W_RT = w("sym"), w("rt")
W_ALT_CHUNK = w("altChunk")
M_T = f"{{{M_NS}}}t"
MC_CHOICE, MC_FALLBACK = f"{{{MC_NS}}}Choice", f"{{{MC_NS}}}Fallback"
REL = f"{{{PKG_REL_NS}}}Relationship"
R_ID = f"{{{R_NS}}}id"
