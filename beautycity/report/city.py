"""The context of one unit's report, from the assessment document and the scheme alone: the
cover here, then every page registered in `report.pages`, in its order."""

from __future__ import annotations

from ..assessment.document import AssessmentDoc, UnitResult, doc_moment
from ..problems import BeautycityError
from ..scheme.model import Scheme
from .context import Bi, CityReport, Cover, Edition, Meta
from .formats import bi, grade_class, grade_name, score, tx
from .naming import author, city_title, issuer, region
from .pages import PageInput, build_pages


def unit_of(doc: AssessmentDoc, unit_id: str) -> UnitResult:
    for u in doc.units:
        if u.id == unit_id:
            return u
    known = ", ".join(u.id for u in doc.units)
    raise BeautycityError.single("report.unknown-city", value=unit_id, known=known)


def meta(doc: AssessmentDoc, scheme: Scheme, title: Bi, lang: str) -> Meta:
    return Meta(
        title=title.line(lang, " / "),
        author=author(scheme).line(lang, " / "),
        lang="en" if lang == "en" else "zh-CN",
        created=doc_moment(doc).date().isoformat(),
        keywords=f"{doc.scheme.id} {doc.scheme.version} {doc.year}",
    )


def as_of(doc: AssessmentDoc) -> Bi:
    when = doc_moment(doc)
    # ISO in English: a month name would follow the machine's locale.
    return tx("cover.as_of", y=when.year, m=when.month, d=when.day, date=when.date().isoformat())


def footer(edition: Edition, notice: Bi | None) -> Bi:
    """The running footer: the edition's status, then the notice (a page that is passed on
    alone still says that its data are illustrative)."""
    status = tx(f"edition.{edition.status}")
    if notice is None:
        return status
    return Bi(zh=f"{status.zh} · {notice.zh}", en=f"{status.en} · {notice.en}")


def _contact(contact: dict[str, str]) -> Bi | None:
    """Who filled in the workbook and how to reach them, as far as the results know."""
    parts = [contact.get(k, "").strip() for k in ("department", "person", "phone", "email")]
    shown = " · ".join(p for p in parts if p)
    return Bi.same(shown) if shown else None


def city_report(
    doc: AssessmentDoc,
    scheme: Scheme,
    unit_id: str,
    lang: str = "bilingual",
    notice: Bi | None = None,
    edition: Edition | None = None,
) -> CityReport:
    u = unit_of(doc, unit_id)
    name = bi(u.name)
    title = city_title(scheme, name, doc.year)
    edition = edition or Edition()
    return CityReport(
        meta=meta(doc, scheme, title, lang),
        footer=footer(edition, notice),
        region=region(scheme),
        cover=Cover(
            title=title,
            issuer=issuer(scheme),
            unit=name,
            year=str(doc.year),
            scheme=bi(doc.scheme.name),
            scheme_version=doc.scheme.version,
            as_of=as_of(doc),
            notice=notice,
            total=score(u.total),
            grade=grade_name(scheme, u.grade),
            grade_class=grade_class(scheme, u.grade),
            status=tx(f"edition.{edition.status}"),
            issued=edition.issued,
            contact=_contact(u.contact),
            positioning=bi(scheme.positioning[u.positioning].name),
            statement=bi(u.statement),
        ),
        pages=build_pages(PageInput(doc, scheme, u, lang)),
    )
