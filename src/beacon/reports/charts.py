"""Charts drawn as inline SVG (no script, nothing fetched): a grade distribution and bars, in
the page, in the HTML file and in the PDF alike."""
from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence

from markupsafe import Markup, escape

from beacon.inspection.national import ORDER
from beacon.inspection.types import Grade, grade_label


def grade_chart(counts: Mapping[Grade, int], title: str, chart_id: str, highlight: Grade | None = None,
                highlight_label: str = "This force") -> Markup:
    """An inline SVG bar chart of a grade distribution (Excellent, Good, Fair, Poor), drawn here so
    it needs no script and renders in WeasyPrint. Accessible: ``role="img"`` named by its
    ``<title>`` and described by a ``<desc>`` giving every count; the same figures are in the
    table beside it. ``chart_id`` must be unique in the page."""
    width, height, left, right, top, bottom = 340, 210, 36, 10, 34, 36
    plot_w, plot_h = width - left - right, height - top - bottom
    values = [int(counts.get(g, 0)) for g in ORDER]
    peak = max(values) or 1
    step = max(1, -(-peak // 4))               # about four gridlines
    scale_top = step * -(-peak // step)
    slot = plot_w / len(ORDER)
    bar_w = slot * 0.56
    desc = "; ".join(f"{g.label} {v}" for g, v in zip(ORDER, values))
    if highlight is not None:
        desc += f". {highlight_label}: {highlight.label}."
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="beacon-chart" role="img" '
             f'width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
             f'aria-labelledby="{chart_id}-title {chart_id}-desc">',
             f'<title id="{chart_id}-title">{escape(title)}</title>',
             f'<desc id="{chart_id}-desc">Number of forces given each grade: {escape(desc)}</desc>',
             '<g font-family="Arial, Helvetica, sans-serif" font-size="12" fill="#0b0c0c">']
    for tick in range(0, scale_top + 1, step):
        y = top + plot_h - plot_h * tick / scale_top
        parts.append(f'<line x1="{left}" y1="{y:.1f}" x2="{width - right}" y2="{y:.1f}" stroke="#b1b4b6" '
                     f'stroke-width="{1 if tick else 1.5}"/>')
        parts.append(f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end">{tick}</text>')
    for i, (g, v) in enumerate(zip(ORDER, values)):
        x = left + slot * i + (slot - bar_w) / 2
        h = plot_h * v / scale_top
        y = top + plot_h - h
        mine = highlight is g
        colour = "#0b0c0c" if mine else "#1d70b8"
        weight = ' font-weight="bold"' if mine else ""
        if v:
            parts.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar_w:.1f}" height="{h:.1f}" fill="{colour}"/>')
        parts.append(f'<text x="{x + bar_w / 2:.1f}" y="{y - 5:.1f}" text-anchor="middle" '
                     f'font-weight="bold">{v}</text>')
        parts.append(f'<text x="{x + bar_w / 2:.1f}" y="{top + plot_h + 16}" text-anchor="middle"'
                     f'{weight}>{g.label}</text>')
        if mine:
            parts.append(f'<text x="{x + bar_w / 2:.1f}" y="{top + plot_h + 30}" text-anchor="middle" '
                         f'font-size="11">({escape(highlight_label)})</text>')
    parts.append("</g></svg>")
    return Markup("".join(parts))


def bar_chart(bars: Iterable[tuple[str, float]], title: str, chart_id: str, percent: bool = False) -> Markup:
    """An inline SVG bar chart of one figure per division (a count, or a share drawn on 0-100%),
    like :func:`grade_chart`: no script, WeasyPrint renders it, ``role="img"`` with a ``<title>``
    and a ``<desc>`` giving every value; the same figures are in the table beside it."""
    bars = list(bars)
    width, height, left, right, top, bottom = 340, 210, 44, 10, 34, 36
    plot_w, plot_h = width - left - right, height - top - bottom
    label = (lambda v: f"{v:.0%}") if percent else (lambda v: f"{int(v):,}")
    if percent:
        scale_top, step = 1.0, 0.25
    else:
        peak = int(max((v for _, v in bars), default=0)) or 1
        step = max(1, -(-peak // 4))
        scale_top = step * -(-peak // step)
    slot = plot_w / max(len(bars), 1)
    bar_w = slot * 0.56
    desc = "; ".join(f"{name} {label(v)}" for name, v in bars) or "no values"
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="beacon-chart" role="img" '
             f'width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
             f'aria-labelledby="{chart_id}-title {chart_id}-desc">',
             f'<title id="{chart_id}-title">{escape(title)}</title>',
             f'<desc id="{chart_id}-desc">{escape(desc)}</desc>',
             '<g font-family="Arial, Helvetica, sans-serif" font-size="12" fill="#0b0c0c">']
    tick = 0.0
    while tick <= scale_top + 1e-9:
        y = top + plot_h - plot_h * tick / scale_top
        parts.append(f'<line x1="{left}" y1="{y:.1f}" x2="{width - right}" y2="{y:.1f}" stroke="#b1b4b6" '
                     f'stroke-width="{1 if tick else 1.5}"/>')
        parts.append(f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end">{label(tick)}</text>')
        tick += step
    for i, (name, v) in enumerate(bars):
        x = left + slot * i + (slot - bar_w) / 2
        h = plot_h * min(v, scale_top) / scale_top
        y = top + plot_h - h
        if v:
            parts.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar_w:.1f}" height="{h:.1f}" fill="#1d70b8"/>')
        parts.append(f'<text x="{x + bar_w / 2:.1f}" y="{y - 5:.1f}" text-anchor="middle" '
                     f'font-weight="bold">{label(v)}</text>')
        parts.append(f'<text x="{x + bar_w / 2:.1f}" y="{top + plot_h + 16}" text-anchor="middle">'
                     f'{escape(name)}</text>')
    parts.append("</g></svg>")
    return Markup("".join(parts))


def grade_history_chart(points: Sequence[tuple[str, Grade | None]], title: str, chart_id: str,
                        breaks: Collection[int] = ()) -> Markup:
    """An inline SVG line of a live grade month by month (Poor at the bottom, Excellent at the
    top, and Not evidenced below Poor when a month had no grade), with the same accessibility as
    ``grade_chart``: every month's grade is in the ``<desc>`` and in the table beside it. ``breaks``:
    the points not kept the month after the one before them (months in between were not kept),
    joined by a dashed grey line instead of the grade's line."""
    levels: list[Grade | None] = [Grade.POOR, Grade.FAIR, Grade.GOOD, Grade.EXCELLENT]
    if any(g is None for _, g in points):
        levels.insert(0, None)
    width, height, left, right, top, bottom = 520, 190, 78, 14, 16, 40
    if levels[0] is None:
        left = 100
    plot_w, plot_h = width - left - right, height - top - bottom
    n = max(1, len(points))
    x_of = (lambda i: left + plot_w / 2) if n == 1 else (lambda i: left + plot_w * i / (n - 1))
    y_of = lambda g: top + plot_h - plot_h * levels.index(g) / (len(levels) - 1)  # noqa: E731
    desc = "; ".join(f"{label} {grade_label(g)}" for label, g in points)
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="beacon-chart" role="img" '
             f'width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
             f'aria-labelledby="{chart_id}-title {chart_id}-desc">',
             f'<title id="{chart_id}-title">{escape(title)}</title>',
             f'<desc id="{chart_id}-desc">Live grade by month: {escape(desc)}</desc>',
             '<g font-family="Arial, Helvetica, sans-serif" font-size="12" fill="#0b0c0c">']
    for g in levels:
        y = y_of(g)
        parts.append(f'<line x1="{left}" y1="{y:.1f}" x2="{width - right}" y2="{y:.1f}" stroke="#b1b4b6"/>')
        parts.append(f'<text x="{left - 8}" y="{y + 4:.1f}" text-anchor="end">{grade_label(g)}</text>')
    if points:
        path = " ".join(f"{'M' if i == 0 or i in breaks else 'L'}{x_of(i):.1f},{y_of(g):.1f}"
                        for i, (_, g) in enumerate(points))
        parts.append(f'<path d="{path}" fill="none" stroke="#1d70b8" stroke-width="3"/>')
        for i in sorted(b for b in breaks if 0 < b < n):
            parts.append(f'<line x1="{x_of(i - 1):.1f}" y1="{y_of(points[i - 1][1]):.1f}" x2="{x_of(i):.1f}" '
                         f'y2="{y_of(points[i][1]):.1f}" stroke="#505a5f" stroke-width="2" stroke-dasharray="4 4"/>')
        every = max(1, -(-n // 8))
        for i, (label, g) in enumerate(points):
            parts.append(f'<circle cx="{x_of(i):.1f}" cy="{y_of(g):.1f}" r="4" fill="#1d70b8"/>')
            crowded = n > 1 and i != n - 1 and x_of(n - 1) - x_of(i) < 90   # the last label is end-anchored
            if (i % every == 0 and not crowded) or i == n - 1:
                anchor = "end" if i == n - 1 and n > 1 else "middle"
                parts.append(f'<text x="{x_of(i):.1f}" y="{top + plot_h + 18}" text-anchor="{anchor}" '
                             f'font-size="11">{escape(label)}</text>')
    parts.append("</g></svg>")
    return Markup("".join(parts))
