"""What the report's pages and charts say, checked against the inputs (review of issue 13)."""

from __future__ import annotations

import matplotlib
import pandas as pd

from analysis import fit
from analysis.report import builder, sections

matplotlib.use("Agg")

DRAWS = 400


def _chart_lines(section, name):
    import matplotlib.pyplot as plt

    (chart,) = [c for c in section.charts if c.name == name]
    fig, ax = plt.subplots()
    chart.draw(ax, title="")
    lines = {line.get_gid(): line for line in ax.lines}
    plt.close(fig)
    return lines


def test_quarter_target_chart_reads_the_quarter_not_the_calendar_year():
    # --target 8M --by 2013Q2, basis unclear: the table's 'within 2013Q2' subtracts the
    # units shipped before 1 April 2013, so the chart's period reading must too (it said
    # "in 2013 alone" and sat at 8M + the units by 31 December 2012)
    case = builder.prepare(target="8M", by="2013Q2")
    sec = sections.projection_section(case, draws=DRAWS)
    lines = _chart_lines(sec, "shipments-projection")
    label = lines["target-period"].get_label()
    assert "2013 alone" not in label
    assert label.startswith("target 8M within 2013-04-01 to 2013-06-30: ≈ ")
    # the level is the target plus the median projected cumulative units by 31 March 2013
    projection = fit(case.brand_figures, model="auto", brand="Xiaomi", seed=0)
    base = float(projection.predict(pd.DatetimeIndex(["2013-03-31"])).iloc[0])
    level = lines["target-period"].get_ydata()[0]
    assert level == 8_000_000 + base
    # above the 8M line by more than the units shipped by the end of 2012 (≈ 7M): the
    # year-start reading would be about 15M, the quarter-start one more than that
    assert level > lines["target"].get_ydata()[0] + 5_000_000


def test_a_window_reading_is_not_given_an_expected_date_after_the_window():
    # 8M within 2013Q2 at the current ~6.5M a year is never reached inside the quarter:
    # the table said "expected date 2014-05-29", a date outside the window it counts
    case = builder.prepare(target="8M", by="2013Q2")
    sec = sections.projection_section(case, draws=DRAWS)
    (table,) = sec.tables
    rows = {row[0]: row for row in table.rows}
    assert rows["within 2013Q2"][-1] == "not within 2013Q2"
    # the since-launch reading keeps its date (it is reached before 30 June 2013)
    assert rows["since launch"][-1] < "2013-06-30"


def test_a_brand_listed_earlier_in_the_market_does_not_enter_it():
    # HTC is listed in Taiwan from 2013 to 2018 (IDC and press shares) but not in the file's
    # latest window, 2021Q1, where its units are inside 'Others': the report drew "HTC enters
    # Taiwan with 113k units" and asked how "its entry" would change the market
    from marketdata import datasets

    tw = datasets.load("taiwan_vendor_share")
    listed = tw[tw["brand"].eq("HTC").fillna(False) & tw["market"].eq("TW").fillna(False)]
    assert (listed["end"].min().year, listed["end"].max().year) == (2013, 2018)
    inputs = builder.from_figures(tw, brand="HTC", market="TW", market_size=5_650_000)
    assert not any("entry" in q for q in inputs.questions)
    entry = sections.entry_section(inputs)
    assert entry.omitted == (
        "HTC already sells in Taiwan (listed there 2013–2018; not in the latest window, 2021Q1, "
        "where its units are inside 'Others'); the entry scenario is for a brand new to the market"
    )
    rank = sections.rank_section(inputs, draws=DRAWS)
    assert rank.tables[0].columns[0] == "volume (assumption)"


def test_htc_table_gives_each_share_as_the_source_gave_it():
    # the page's text says HTC led the US with 22.9% (Canalys, TWICE); the table beside it
    # said 23%: one figure, two roundings. Each share keeps the decimals its source gave.
    sec = sections.exposure_section(builder.prepare(), draws=DRAWS)
    (table,) = sec.tables
    shares = {row[0]: row[1] for row in table.rows}
    assert shares["HTC's share of US smartphone shipments, 2011Q3"] == "22.9%"
    assert "22.9%" in sec.paragraphs[0]
    assert shares["US share of HTC's 2011 revenue"] == "about 50%"  # 0.5 in the source
    assert shares["US share of HTC's 2011Q3 smartphone shipments"] == "about 43%"  # 0.43


def test_the_entry_sheet_carries_the_hhi_bounds_the_page_shows(tmp_path):
    # the page gives HHI 2,186–2,831 before entry; the workbook's "entry by volume" sheet
    # had only the point hhi_before/hhi_after/delta_hhi, empty when 'Others' hides the tail
    sec = sections.entry_section(builder.prepare())
    (frame,) = [f for caption, f in sec.data if caption == "entry by volume"]
    # before entry, from the 2012Q2 shares: 35.8² + 28.1² + 10.7² = 2,185.74 (Others spread
    # thin), + 25.4² = 2,830.90 (Others as one firm)
    assert frame["hhi_before_lower"].round(2).tolist() == [2185.74] * 4
    assert frame["hhi_before_upper"].round(2).tolist() == [2830.90] * 4
    # after 113k (2% of 5.65M) taken in proportion: 2,185.74 x 0.98² + 2² = 2,103.185
    row = frame[frame["units"] == 113_000].iloc[0]
    assert round(row["hhi_after_lower"], 2) == 2103.18
    # 2,830.90 x 0.98² + 2² = 2,722.80; ΔHHI 2,722.80 - 2,830.90 = -108.10 and
    # 2,103.185 - 2,185.74 = -82.555 (the page's "-108 to -83")
    assert round(row["hhi_after_upper"], 2) == 2722.80
    assert sorted([round(row["delta_hhi_lower"], 2), round(row["delta_hhi_upper"], 2)]) == [
        -108.10,
        -82.56,
    ]
    # and the workbook writes them as HHI numbers (#,##0), the change in HHI too
    import openpyxl

    from analysis.report.workbook import write_workbook

    case = builder.prepare()
    path = write_workbook(tmp_path / "entry.xlsx", case, [sec], seed=0, draws=DRAWS)
    sheet = openpyxl.load_workbook(path)["Entry scenario - entry by volum"]
    header = [c.value for c in sheet[1]]
    for column in ("hhi_before_lower", "hhi_after_upper", "delta_hhi_lower", "delta_hhi_upper"):
        cell = sheet.cell(row=4, column=header.index(column) + 1)
        assert cell.number_format == "#,##0" and isinstance(cell.value, float)


def test_workbook_formats_every_probability_and_date_alike(tmp_path):
    # the rank sheet's cumulative_probability and the target sheet's level (0.8) were
    # written as bare numbers beside 0.0% columns; the concentration sheet's dates (an
    # object column of Timestamps) as yyyy-mm-dd h:mm:ss beside yyyy-mm-dd elsewhere
    import openpyxl

    from analysis.report.workbook import write_workbook

    case = builder.prepare()
    secs = [
        sections.projection_section(case, draws=DRAWS),
        sections.market_section(case),
        sections.rank_section(case, draws=DRAWS),
    ]
    book = openpyxl.load_workbook(
        write_workbook(tmp_path / "r.xlsx", case, secs, seed=0, draws=DRAWS)
    )

    def fmt(sheet, column):
        ws = book[sheet]
        header = [c.value for c in ws[1]]
        return ws.cell(row=2, column=header.index(column) + 1).number_format

    assert fmt("Rank forecast - rank forecast c", "cumulative_probability") == "0.0%"
    assert fmt("Projection and target - target", "level") == "0.0%"
    assert fmt("The market - concentration", "start") == "yyyy-mm-dd"
    assert fmt("The market - concentration", "end") == "yyyy-mm-dd"


def test_growth_model_history_is_credited_with_its_annual_and_gartner_rows():
    # on the annual IDC file the growth model's decay comes from growth pairs of the
    # packaged annual history (Statista 271539, whose 2007 figures are Gartner's, as
    # Statista notes) and the quarterly one; the sources page named only the quarterly file
    from marketdata import datasets

    annual = datasets.load("worldwide_annual_shipments_by_vendor")
    inputs = builder.from_figures(annual, brand="Xiaomi", market="WW")
    sec = sections.projection_section(inputs, draws=DRAWS)
    assert "packaged IDC vendor history" in sec.paragraphs[0]  # the growth model
    history = [src for src in sec.sources if "behind the projection" in src]
    assert any("worldwide_quarterly_shipments_by_vendor, 2009–2024" in h for h in history)
    (yearly,) = [h for h in history if h.startswith("IDC via Statista 271539")]
    assert yearly.startswith(
        "IDC via Statista 271539 (worldwide_annual_shipments_by_vendor, 2007–2023"
    )
    assert "its 2007 figures from Gartner, as Statista notes" in yearly
    # OPPO's 2023 figure from an IDC press release: one year, said once
    (oppo,) = [h for h in history if h.startswith("IDC press release Jan 2024")]
    assert "(worldwide_annual_shipments_by_vendor, 2023: the growth history" in oppo


def test_per_period_data_headline_is_the_next_twelve_months_not_a_total_from_the_file_start():
    # on the IDC quarterly file the answer was "Xiaomi's projected shipments counted from
    # the data's first figure (2013Q3) by 31 March 2025: 1.22B", a total nobody publishes,
    # beside a chart of units per quarter
    from marketdata import datasets

    quarterly = datasets.load("worldwide_quarterly_shipments_by_vendor")
    inputs = builder.from_figures(quarterly, brand="Xiaomi", market="WW")
    sec = sections.projection_section(inputs, draws=DRAWS)
    assert "first figure" not in sec.answer and "first figure" not in sec.paragraphs[0]
    assert sec.answer.startswith(
        "Xiaomi's projected shipments from 1 April 2024 to 31 March 2025: "
    )
    # Xiaomi's last four reported quarters (2023Q2–2024Q1) sum to 156.2M
    xiaomi = quarterly[quarterly["brand"] == "Xiaomi"].sort_values("end")
    last_year = float(xiaomi["units"].tail(4).sum())
    assert last_year == 156_200_000
    assert 0.8 * last_year < sec.values["median"] < 1.25 * last_year


def test_every_table_cell_text_fits_inside_its_cell():
    # --target 8M --by 2013Q2: "P(reach 8M)" ran into "projected by ..." and "over 3M
    # (3.00M–3.45M as modelled)" lost its closing bracket at the cell's edge
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.table import Table as DrawnTable

    from analysis.report.pages import text_pages

    case = builder.prepare(target="8M", by="2013Q2")
    sec = sections.projection_section(case, draws=DRAWS)
    (page,) = text_pages("Projection and target", tables=sec.tables)
    FigureCanvasAgg(page).draw()  # cells place their text when drawn
    renderer = page.canvas.get_renderer()
    (drawn,) = [a for ax in page.axes for a in ax.get_children() if isinstance(a, DrawnTable)]
    checked = 0
    for cell in drawn.get_celld().values():
        box, text = cell.get_window_extent(renderer), cell.get_text()
        words = text.get_window_extent(renderer)
        assert box.x0 <= words.x0 and words.x1 <= box.x1, text.get_text()
        checked += 1
    assert checked == 3 * 7  # header and two readings, seven columns


def test_a_rank_every_central_draw_gives_is_said_as_one_rank():
    # IDC 2024Q1 worldwide, Xiaomi at its reported 40.8M: "80% of the draws lie between
    # ranks 3 and 3" and "3–3" in the table; 40.8M is 14.1% of 289.4M, third behind
    # Samsung 60.1M and Apple 50.1M and far above Transsion 28.5M
    from marketdata import datasets

    quarterly = datasets.load("worldwide_quarterly_shipments_by_vendor")
    inputs = builder.from_figures(quarterly, brand="Xiaomi", market="WW")
    sec = sections.rank_section(inputs, draws=DRAWS)
    text = " ".join(sec.paragraphs)
    assert "between ranks 3 and 3" not in text
    assert "80% of the draws give rank 3" in text
    assert sec.tables[0].rows[0][3] == "3"


def test_rank_chart_states_a_bounded_probability_without_an_equals_sign():
    # the founding rank chart at 113k said "P(top 10) = >99%" (the report's 20,000 draws)
    import matplotlib.pyplot as plt

    sec = sections.rank_section(builder.prepare(), draws=20_000)
    (chart,) = [c for c in sec.charts if c.name == "rank-forecast"]
    fig, ax = plt.subplots()
    chart.draw(ax, title="")
    (text,) = [t.get_text() for t in ax.texts if t.get_gid() == "prob-top"]
    plt.close(fig)
    assert text == "P(top 10) >99%"


def test_one_projected_year_is_drawn_visibly():
    # the annual IDC file: the projection is one year (2024), and its fan (fill_between
    # over a single date) and median (a one-point dashed line) had no width: the chart's
    # legend and caption promised an interval nobody could see
    import matplotlib.pyplot as plt

    from marketdata import datasets

    annual = datasets.load("worldwide_annual_shipments_by_vendor")
    inputs = builder.from_figures(annual, brand="Xiaomi", market="WW")
    sec = sections.projection_section(inputs, draws=DRAWS)
    (chart,) = sec.charts
    fig, ax = plt.subplots()
    chart.draw(ax, title="")
    (fan,) = [c for c in ax.collections if c.get_gid() == "fan-0.8"]
    (median,) = [line for line in ax.lines if line.get_gid() == "median"]
    plt.close(fig)
    # a band over the projected year, from the 80% lower to the upper bound of 2024, and a
    # median drawn across the same year
    corners = fan.get_paths()[0].vertices
    (x0, low), (x1, high) = corners.min(axis=0), corners.max(axis=0)
    assert x1 - x0 > 300  # days: the band spans the year 2024, not one date
    assert high - low > 10e6  # 125M–161M at the report's draws: tens of millions
    xs = pd.to_datetime(median.get_xdata())
    assert len(xs) == 2 and (xs[1] - xs[0]).days > 300
