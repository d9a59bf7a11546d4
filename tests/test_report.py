"""PDF reports and the action workbook, checked on the real files: text, fonts, metadata,
inert user text, byte-for-byte reproducibility; and the `report` and `doctor` commands."""

from __future__ import annotations

import io
import json
import re
import shutil
import subprocess
from importlib import resources

import pytest
from click.testing import CliRunner
from jinja2 import DictLoader
from pypdf import PdfReader

from beautycity.assessment.document import doc_json, load_assessment
from beautycity.assessment.rules import ACTION_REASONS, LAGGING
from beautycity.cli import main
from beautycity.problems import BeautycityError
from beautycity.report import fonts, pdf
from beautycity.report.actions import follow_up, unit_actions
from beautycity.report.city import city_report
from beautycity.report.formats import score
from beautycity.report.pages import PageInput
from beautycity.report.pages.summary import summary
from beautycity.report.pdf import BlockedUrl, Renderer, fetch, templates_root
from beautycity.report.render import (
    demo_notice,
    render_city,
    render_overview,
    scheme_for,
)
from beautycity.scheme.load import load_scheme

from .fixtures_assessment import (
    HOSTILE_NOTE,
    HOSTILE_SOURCE,
    HOSTILE_URLS,
    MISSING,
    VETO_UNIT,
)

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils")
PDF_TEXTS = ("report",)  # the texts files whose words reach a PDF


# The `report:` block of indicators/jilin-2027.yaml: today's titles, the region and the map.
def text_of(data: bytes) -> str:
    out = subprocess.run(["pdftotext", "-layout", "-", "-"], input=data, capture_output=True)
    return out.stdout.decode("utf-8")


def squashed(text: str) -> str:
    """Without whitespace: table cells wrap lines wherever the layout needs to."""
    return re.sub(r"\s+", "", text)


def font_names(data: bytes) -> set[str]:
    names = set()
    for page in PdfReader(io.BytesIO(data)).pages:
        for font in page["/Resources"].get("/Font", {}).values():
            names.add(str(font.get_object()["/BaseFont"]))
    return names


@pytest.fixture(scope="module")
def scheme(docs):
    return scheme_for(docs[0])


def test_the_jilin_scheme_names_its_reports():
    report = load_scheme().report
    assert report.issuer.zh == "吉林省生态环境厅" and report.map == "jilin-map.json"
    assert report.city_title.zh == "{unit}{year}年美丽城市建设评估报告"


@pytest.fixture(scope="module")
def rendered(docs, scheme):
    """The Changchun and Siping reports and the overview, rendered once, every URL the
    renderer asked for recorded."""
    asked: list[str] = []
    patch = pytest.MonkeyPatch()
    real = pdf.fetch

    def spy(url: str):
        asked.append(url)
        return real(url)

    patch.setattr(pdf, "fetch", spy)
    try:
        renderer = Renderer("bilingual")
        doc = docs[0]
        out = {
            uid: render_city(doc, scheme, uid, notice=demo_notice(), renderer=renderer)
            for uid in ("changchun", VETO_UNIT)
        }
        out["overview"] = render_overview(doc, scheme, notice=demo_notice(), renderer=renderer)
    finally:
        patch.undo()
    return out, asked


@pytest.fixture(scope="module")
def texts(rendered):
    return {k: text_of(data) for k, (data, _) in rendered[0].items()}


def test_city_report_has_the_pages_names_and_score(docs, rendered, texts):
    data, pages = rendered[0]["changchun"]
    assert 6 <= pages <= 10
    assert len(PdfReader(io.BytesIO(data)).pages) == pages
    assert len(data) < 1.5 * 1024 * 1024
    text = texts["changchun"]
    unit = next(u for u in docs[0].units if u.id == "changchun")
    for expected in ("长春市", "Changchun", score(unit.total), "一页摘要", "Summary at a glance"):
        assert expected in text
    flat = squashed(text)
    assert "本报告所用数据大部分为示意数据" in flat
    assert "长春市2024年美丽城市建设评估报告" in flat  # the title the scheme gives
    assert "吉林省生态环境厅" in flat and "吉林省排名" in flat  # issuer and region


def test_reports_embed_only_the_cjk_family(rendered):
    family = re.sub(r"[^A-Za-z]", "", fonts.cjk_family())
    for data, _ in rendered[0].values():
        names = font_names(data)
        assert names
        for name in names:
            assert family in re.sub(r"[^A-Za-z]", "", name.split("+")[-1]), name
        assert any("NotoSansCJK" in n.replace("-", "") or "SourceHan" in n for n in names)


def test_no_missing_glyphs(texts):
    for text in texts.values():
        assert "\ufffd" not in text
        assert "□" not in text  # no tofu boxes passed through as text


def test_fixed_texts_are_covered_by_the_font():
    """Every character of the report texts exists in the CJK font, so none can print as tofu."""
    ttlib = pytest.importorskip("fontTools.ttLib")
    family = fonts.cjk_family()
    found = subprocess.run(
        ["fc-match", "-f", "%{file}\n%{index}", family], capture_output=True, text=True
    ).stdout.split("\n")
    path, index = found[0], int(found[1] or 0)
    font = ttlib.TTFont(path, fontNumber=index, lazy=True)
    cmap = font.getBestCmap()
    # The texts that reach a PDF; the terminal's (cli.yaml) never meet this font.
    folder = resources.files("beautycity").joinpath("texts")
    text = "".join(folder.joinpath(f"{name}.yaml").read_text("utf-8") for name in PDF_TEXTS)
    missing = {ch for ch in text if ord(ch) > 32 and ord(ch) not in cmap}
    assert not missing


def test_hostile_notes_are_literal_text_and_fetch_nothing(rendered, texts):
    flat = squashed(texts["changchun"])
    assert squashed(HOSTILE_NOTE) in flat
    assert squashed(HOSTILE_SOURCE) in flat
    asked = rendered[1]
    assert not any(url in a for a in asked for url in HOSTILE_URLS)
    assert all(a.startswith(templates_root().as_uri()) for a in asked)


def test_fetch_serves_templates_only(tmp_path):
    css = templates_root() / "report" / "report.css"
    assert fetch(css.as_uri()).data == css.read_bytes()
    outside = tmp_path / "secret.txt"
    outside.write_text("x")
    sneaky = (templates_root() / "report").as_uri() + "/../../../" + str(outside)
    for url in (*HOSTILE_URLS, outside.as_uri(), sneaky, "data:text/plain,hi", "ftp://x/y"):
        with pytest.raises(BlockedUrl):
            fetch(url)


def test_a_template_reaching_out_is_refused():
    renderer = Renderer("zh")
    renderer.env.loader = DictLoader(
        {"bad.html": '<html><body><img src="http://127.0.0.1:9/x.png">{{ r.title }}</body></html>'}
    )
    from pydantic import BaseModel

    class Ctx(BaseModel):
        title: str

    with pytest.raises(BeautycityError) as caught:
        renderer.pdf("bad.html", Ctx(title="x"))
    assert caught.value.problems[0].code == "report.blocked-url"


@pytest.mark.slow  # a second interpreter renders
def test_same_assessment_gives_the_same_bytes(rendered, elsewhere):
    """Assessed and rendered again in another interpreter, with another string-hash seed."""
    again = elsewhere(
        "import sys\n"
        "from beautycity.report.render import demo_notice, render_city, scheme_for\n"
        "from tests.fixtures_assessment import fixture_docs\n"
        "doc = fixture_docs()[0]\n"
        "data, _ = render_city(doc, scheme_for(doc), 'changchun', notice=demo_notice())\n"
        "sys.stdout.buffer.write(data)\n"
    )
    assert again == rendered[0]["changchun"][0]


def test_metadata_comes_from_the_assessment(rendered):
    reader = PdfReader(io.BytesIO(rendered[0]["changchun"][0]))
    meta = reader.metadata
    assert meta.title == (
        "长春市2024年美丽城市建设评估报告 / Changchun: beautiful-city assessment 2024"
    )
    assert meta.author.startswith("吉林省生态环境厅")
    assert meta.creation_date.date().isoformat() == "2024-12-31"
    assert reader.trailer["/Root"]["/Lang"] == "zh-CN"


def test_veto_is_reported(docs, rendered, texts):
    flat = squashed(texts[VETO_UNIT])
    assert squashed("发生重特大突发环境事件的，不得评为优秀") in flat
    assert "触发否决" in flat
    unit = next(u for u in docs[0].units if u.id == VETO_UNIT)
    assert unit.vetoes and score(unit.total) in flat


def test_overview_has_ranking_map_and_every_unit(docs, rendered, texts):
    _, pages = rendered[0]["overview"]
    assert 3 <= pages <= 8
    text = texts["overview"]
    flat = squashed(text)
    assert "2024年美丽城市建设评估全省总览" in flat
    assert "吉林省概览" in flat and "吉林省平均分" in flat
    assert "示意图" in flat and "Schematic" in text
    assert "cnmaps" in flat  # the boundary data are cited
    assert "未在图中标示" not in flat  # every unit is on the map
    for u in docs[0].units:
        assert u.name.zh in flat
        assert score(u.total) in flat


def test_one_notion_of_what_needs_action(docs, scheme):
    """The summary's gaps, the action list, the deductions, the vetoes and the red lines all
    come from `IndicatorResult.action`; the follow-up reviews exactly last year's list."""
    doc = docs[0]
    deducted_by = {a.id: a.indicator for a in scheme.adjustments if a.basis == "shortfall"}
    for u in doc.units:
        by_code = {scheme.indicator[r.id].code: r for r in u.indicators}
        actions = unit_actions(u, scheme)
        codes = {a.code for a in actions}
        assert codes == {c for c, r in by_code.items() if r.action}
        lagging = {c for c, r in by_code.items() if r.status in LAGGING}
        vetoed = {scheme.indicator[v.indicator].code for v in u.vetoes}
        deducted = {
            scheme.indicator[deducted_by[adj.id]].code
            for adj in u.adjustments
            if adj.points < 0 and adj.id in deducted_by
        }
        assert lagging | vetoed | deducted <= codes
        for c in codes - lagging - vetoed - deducted:  # the rest: red lines only
            assert {"red_line_fell", "red_line_floor"} & set(by_code[c].action)
        gaps = summary(PageInput(unit=u, doc=doc, scheme=scheme, lang="bilingual")).gaps
        assert [g.code for g in gaps] == [a.code for a in actions[:2]]
        assert all(a.veto for a in actions[: len(vetoed)])  # vetoes lead the list
        for reason in ACTION_REASONS:  # within a reason, most points lost first
            same = [a for a in actions if by_code[a.code].action[0] == reason]
            assert [a.lost for a in same] == sorted((a.lost for a in same), reverse=True)
        listed_last_year = {c for c, r in by_code.items() if r.previous_action}
        assert {f.code for f in follow_up(u, scheme)} == listed_last_year
        for f in follow_up(u, scheme):
            assert (f.outcome == "closed") == (not by_code[f.code].action)
        assert {a.code for a in actions if a.carried} == codes & listed_last_year


def test_english_report_is_english_throughout(docs, scheme):
    data, _ = render_city(docs[0], scheme, MISSING[0], lang="en")
    text = text_of(data)
    assert "Indicator results" in text and "Annex 1: Data quality" in text
    for zh in ("指标得分明细", "一页摘要", "整改建议与清单", "附录"):
        assert zh not in text
    assert "Yanbian" in text
    missing = text[text.index("Missing values") :]
    assert "Railway share of freight turnover" in missing  # the value left empty
    assert PdfReader(io.BytesIO(data)).trailer["/Root"]["/Lang"] == "en"


def test_no_cjk_font_is_a_problem(monkeypatch):
    fonts.cjk_family.cache_clear()
    monkeypatch.setattr(fonts, "zh_families", lambda: [])
    try:
        with pytest.raises(BeautycityError) as caught:
            Renderer("zh")
        assert caught.value.problems[0].code == "report.no-cjk-font"
    finally:
        fonts.cjk_family.cache_clear()


def test_font_preference():
    assert fonts.pick_family(["Noto Sans Mono CJK SC", "Noto Sans CJK SC"]) == "Noto Sans CJK SC"
    assert fonts.pick_family(["AR PL UMing CN", "WenQuanYi Zen Hei"]) == "WenQuanYi Zen Hei"
    assert fonts.pick_family(["Noto Sans Mono CJK SC", "Foo Hei"]) == "Foo Hei"
    assert fonts.pick_family([]) is None


def test_scheme_must_match(docs, tmp_path):
    doc = docs[0].model_copy(
        update={"scheme": docs[0].scheme.model_copy(update={"version": "9.9.9"})}
    )
    with pytest.raises(BeautycityError) as caught:
        scheme_for(doc)
    assert caught.value.problems[0].code == "report.scheme-mismatch"
    bad = tmp_path / "assessment.json"
    bad.write_text("{}", encoding="utf-8")
    with pytest.raises(BeautycityError) as caught:
        load_assessment(tmp_path)
    assert caught.value.problems[0].code == "report.not-an-assessment"


@pytest.fixture(scope="module")
def results(docs, tmp_path_factory):
    folder = tmp_path_factory.mktemp("results")
    (folder / "assessment.json").write_text(doc_json(docs[0]), encoding="utf-8")
    return folder


def test_report_command_writes_one_city(results, tmp_path):
    out = tmp_path / "reports"
    (out).mkdir()
    (out / "keep.txt").write_text("kept")
    run = CliRunner().invoke(
        main, ["report", str(results), "-o", str(out), "--city", "meihekou", "--lang", "zh"]
    )
    assert run.exit_code == 0, run.output
    assert sorted(p.name for p in out.iterdir()) == ["keep.txt", "meihekou-2024.pdf"]
    assert "meihekou-2024.pdf" in run.output
    text = text_of((out / "meihekou-2024.pdf").read_bytes())
    assert "梅河口市" in text and "指标得分明细" in text and "Indicator results" not in text


def test_report_command_problems(results, tmp_path):
    run = CliRunner().invoke(main, ["report", str(tmp_path), "-o", str(tmp_path / "o")])
    assert run.exit_code == 1
    assert "report.not-an-assessment" in run.output
    run = CliRunner().invoke(
        main, ["report", str(results), "-o", str(tmp_path / "o"), "--city", "nowhere"]
    )
    assert run.exit_code == 1
    assert "cities.unknown-unit" in run.output  # not a unit of the roster at all
    assert not (tmp_path / "o").exists()


def test_doctor(monkeypatch):
    run = CliRunner().invoke(main, ["doctor"])
    assert run.exit_code == 0, run.output
    assert "WeasyPrint" in run.output and fonts.cjk_family() in run.output
    run = CliRunner().invoke(main, ["doctor", "--format", "json"])
    checks = {c["id"]: c for c in json.loads(run.output)}
    assert checks["cjk_font"]["ok"] and checks["cjk_font"]["required"]
    assert not checks["libreoffice"]["required"]
    import beautycity.report.doctor as doctor

    monkeypatch.setattr(doctor, "zh_families", lambda: [])
    run = CliRunner().invoke(main, ["doctor"])
    assert run.exit_code == 1
    assert "✗" in run.output


def test_render_reports_writes_the_planned_set(docs, scheme, tmp_path, monkeypatch):
    """The run's bookkeeping, with the PDF rendering itself stubbed out (tested above)."""
    import beautycity.report.render as report

    monkeypatch.setattr(report, "Renderer", lambda lang: None)
    monkeypatch.setattr(report, "render_city", lambda doc, s, uid, **kw: (uid.encode(), 2))
    monkeypatch.setattr(report, "render_overview", lambda doc, s, **kw: (b"overview", 3))
    seen: list[str] = []
    written = report.render_reports(
        docs[0], tmp_path / "out", scheme=scheme, progress=seen.append, jobs=1
    )
    names = [w.path.name for w in written]
    assert names == seen == [job.name for job in report.planned(docs[0])]
    assert names[-2:] == ["overview-2024.pdf", "actions-2024.xlsx"]
    assert len(names) == 13
    assert (tmp_path / "out" / "changchun-2024.pdf").read_bytes() == b"changchun"
    assert written[-2].pages == 3 and written[-1].pages is None


@pytest.mark.slow  # two worker processes start
def test_worker_processes_write_the_same_bytes(docs, rendered, scheme, tmp_path, monkeypatch):
    """PDFs rendered by a pool of processes are byte for byte those of one process, and are
    written and reported in the planned order."""
    import beautycity.report.render as report

    doc = docs[0]
    jobs = [
        report.Job(f"changchun-{doc.year}.pdf", "city", "changchun"),
        report.Job(f"overview-{doc.year}.pdf", "overview"),
        report.Job(f"{VETO_UNIT}-{doc.year}.pdf", "city", VETO_UNIT),
    ]
    monkeypatch.setattr(report, "planned", lambda doc, cities: jobs)
    seen: list[str] = []
    written = report.render_reports(
        doc, tmp_path / "out", scheme=scheme, notice=demo_notice(), progress=seen.append, jobs=2
    )
    assert seen == [w.path.name for w in written] == [job.name for job in jobs]
    for w, key in zip(written, ("changchun", "overview", VETO_UNIT), strict=True):
        data, pages = rendered[0][key]
        assert w.path.read_bytes() == data
        assert w.pages == pages


def test_a_worker_problem_comes_back_as_the_same_problems(docs, scheme, tmp_path, monkeypatch):
    import beautycity.report.render as report

    doc = docs[0]
    jobs = [report.Job(f"{uid}-{doc.year}.pdf", "city", uid) for uid in ("nowhere", "nor-here")]
    monkeypatch.setattr(report, "planned", lambda doc, cities: jobs)
    with pytest.raises(BeautycityError) as here:
        city_report(doc, scheme, "nowhere")
    with pytest.raises(BeautycityError) as caught:
        report.render_reports(doc, tmp_path / "out", scheme=scheme, jobs=2)
    assert caught.value.problems == here.value.problems
    assert not (tmp_path / "out").exists()


def test_report_command_jobs(results, tmp_path, monkeypatch):
    import beautycity.report.render as render

    asked: list[int | None] = []

    def fake(doc, out, **options):
        asked.append(options["jobs"])
        return []

    monkeypatch.setattr(render, "render_reports", fake)  # the command imports it when run
    for extra in ([], ["--jobs", "3"]):
        run = CliRunner().invoke(main, ["report", str(results), "-o", str(tmp_path), *extra])
        assert run.exit_code == 0, run.output
    assert asked == [None, 3]  # None: one process per core
    run = CliRunner().invoke(main, ["report", str(results), "-o", str(tmp_path), "--jobs", "0"])
    assert run.exit_code == 2
    assert "--jobs" in run.output


def test_unknown_unit_is_a_problem(docs, scheme):
    with pytest.raises(BeautycityError) as caught:
        city_report(docs[0], scheme, "nowhere")
    assert caught.value.problems[0].code == "report.unknown-city"
