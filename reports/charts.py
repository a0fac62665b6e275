"""Charts of the annual report: PNG files drawn with matplotlib in DejaVu Sans.

Each chart has one panel per league (departments, districts), bars sorted best first.
Figures are built with `matplotlib.figure.Figure` rather than pyplot, so no GUI backend
or global state is involved.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from matplotlib import rcParams
from matplotlib.figure import Figure

from reports.data import ReportData
from reports.text import LEAGUE_LABELS, NULL_MARK, fmt_number, fmt_percent

# DejaVu Sans covers Vietnamese; set explicitly so a site matplotlibrc cannot swap it.
rcParams["font.family"] = "DejaVu Sans"

BAR_COLOR = "#2f5d8a"
UP_COLOR = "#2e7d32"
DOWN_COLOR = "#c62828"
DPI = 130


@dataclass(frozen=True)
class Chart:
    path: Path
    caption: str


def _criterion_values(data: ReportData, league: str, criterion: str) -> list[tuple[str, object]]:
    values = []
    for row in data.leagues.get(league, []):
        code = row["ranking_unit_code"]
        measure = next(
            (
                c["measure_value"]
                for c in data.criteria.get(code, [])
                if c["criterion_code"] == criterion
            ),
            None,
        )
        values.append((data.unit_name(code), measure))
    return values


def _panels(data: ReportData) -> list[str]:
    return [league for league in data.leagues if data.leagues[league]]


def _figure(panel_sizes: list[int]) -> tuple[Figure, list]:
    height = max(2.2, 0.28 * max(panel_sizes, default=1) + 1.2)
    fig = Figure(figsize=(11, height), layout="constrained")
    axes = fig.subplots(1, max(len(panel_sizes), 1), squeeze=False)[0]
    return fig, list(axes)


def _rate_chart(data: ReportData, criterion: str, title: str, path: Path) -> None:
    leagues = _panels(data)
    series = [_criterion_values(data, league, criterion) for league in leagues]
    fig, axes = _figure([len(s) for s in series])
    for ax, league, values in zip(axes, leagues, series):
        # Best at the top; a unit with nothing to measure goes last and prints "—".
        values = sorted(values, key=lambda v: (v[1] is None, -(v[1] or 0), v[0]), reverse=True)
        names = [name for name, _ in values]
        widths = [float(v) if v is not None else 0.0 for _, v in values]
        ax.barh(names, widths, color=BAR_COLOR, height=0.6)
        for y, (_, value) in enumerate(values):
            label = NULL_MARK if value is None else fmt_percent(value)
            ax.text(min(float(value or 0), 100) + 1, y, label, va="center", fontsize=7)
        ax.set_xlim(0, 112)
        ax.set_xlabel("%", fontsize=8)
        ax.set_title(LEAGUE_LABELS.get(league, league), fontsize=9)
        ax.tick_params(labelsize=7)
        ax.spines[["top", "right"]].set_visible(False)
    fig.suptitle(title, fontsize=10, fontweight="bold")
    fig.savefig(path, dpi=DPI)


def _rank_movement_chart(data: ReportData, title: str, path: Path) -> None:
    leagues = _panels(data)
    fig, axes = _figure([len(data.leagues[league]) for league in leagues])
    for ax, league in zip(axes, leagues):
        # Best rank at the top: barh draws the first row at the bottom.
        rows = data.leagues[league][::-1]
        names = [data.unit_name(r["ranking_unit_code"]) for r in rows]
        changes = [r["rank_change"] or 0 for r in rows]
        colors = [UP_COLOR if c > 0 else DOWN_COLOR for c in changes]
        ax.barh(names, changes, color=colors, height=0.6)
        for y, row in enumerate(rows):
            change = row["rank_change"]
            label = (
                "chưa xếp hạng năm trước"
                if change is None
                else "giữ nguyên"
                if change == 0
                else f"{'tăng' if change > 0 else 'giảm'} {fmt_number(abs(change))} bậc"
            )
            # The label sits past the end of its bar, on the bar's side of zero.
            end = change or 0
            ax.text(
                end + (0.2 if end >= 0 else -0.2),
                y,
                label,
                va="center",
                ha="left" if end >= 0 else "right",
                fontsize=6.5,
            )
        # Room on both sides for the longest label.
        limit = max([abs(c) for c in changes] + [1]) + 4
        ax.set_xlim(-limit, limit)
        ax.axvline(0, color="#555555", linewidth=0.8)
        ax.set_xlabel("Số bậc thay đổi so với năm trước", fontsize=8)
        ax.set_title(LEAGUE_LABELS.get(league, league), fontsize=9)
        ax.tick_params(labelsize=7)
        ax.spines[["top", "right"]].set_visible(False)
    fig.suptitle(title, fontsize=10, fontweight="bold")
    fig.savefig(path, dpi=DPI)


def draw_charts(data: ReportData, chart_dir: Path) -> list[Chart]:
    """Draw every chart of the report into `chart_dir`; return them in report order.

    A chart's caption is also its title, so the PNG reads the same outside the report.
    """
    chart_dir.mkdir(parents=True, exist_ok=True)
    year = data.year
    on_time = Chart(
        chart_dir / "ty-le-dung-han.png",
        f"Tỷ lệ hồ sơ giải quyết trước hạn và đúng hạn theo đơn vị năm {year}",
    )
    online = Chart(
        chart_dir / "ty-le-truc-tuyen.png",
        f"Tỷ lệ hồ sơ tiếp nhận trực tuyến theo đơn vị năm {year}",
    )
    movement = Chart(
        chart_dir / "thay-doi-thu-hang.png",
        f"Thay đổi thứ hạng năm {year} so với năm {year - 1}",
    )
    _rate_chart(data, "TTHC_ON_TIME", on_time.caption, on_time.path)
    _rate_chart(data, "DVC_ONLINE", online.caption, online.path)
    _rank_movement_chart(data, movement.caption, movement.path)
    return [on_time, online, movement]
