"""Small charts drawn on the server as SVG: no JavaScript, no library, readable without the picture.

Each chart is an ``<svg role="img">`` with a ``<title>`` and a ``<desc>`` that says in words what it
shows; the page puts the same numbers in a table beside it. Every piece of text is escaped.
"""
from dataclasses import dataclass

from markupsafe import Markup, escape

NAVY, ACCENT, LINE, MUTED = "#0b3d62", "#00695c", "#c9d0d6", "#4f5862"


@dataclass(frozen=True)
class Bar:
    label: str  # shown under the bar when there is room, and in the bar's own title
    value: int


def bar_chart(chart_id: str, title: str, description: str, bars: list[Bar], every: int = 1) -> Markup:
    """Bars side by side, with the highest value marked; a label under every ``every``-th bar."""
    width, height, left, bottom, top = 640, 200, 40, 28, 12
    plot_w, plot_h = width - left - 8, height - bottom - top
    highest = max((bar.value for bar in bars), default=0) or 1
    step = plot_w / max(len(bars), 1)
    parts = [f'<svg class="chart" id="{escape(chart_id)}" role="img" viewBox="0 0 {width} {height}" '
             f'xmlns="http://www.w3.org/2000/svg" aria-labelledby="{escape(chart_id)}-title {escape(chart_id)}-desc" '
             f'preserveAspectRatio="xMinYMin meet">',
             f'<title id="{escape(chart_id)}-title">{escape(title)}</title>',
             f'<desc id="{escape(chart_id)}-desc">{escape(description)}</desc>',
             f'<line x1="{left}" y1="{top + plot_h}" x2="{width - 8}" y2="{top + plot_h}" stroke="{LINE}"/>',
             f'<text x="{left - 6}" y="{top + 4}" text-anchor="end" font-size="11" fill="{MUTED}">{highest}</text>',
             f'<text x="{left - 6}" y="{top + plot_h}" text-anchor="end" font-size="11" fill="{MUTED}">0</text>']
    for i, bar in enumerate(bars):
        h = round(plot_h * bar.value / highest, 1)
        x = round(left + i * step + step * 0.1, 1)
        parts.append(f'<rect x="{x}" y="{round(top + plot_h - h, 1)}" width="{round(step * 0.8, 1)}" height="{h}" '
                     f'fill="{NAVY}"><title>{escape(bar.label)}: {bar.value}</title></rect>')
        if i % every == 0:
            parts.append(f'<text x="{round(x + step * 0.4, 1)}" y="{height - 10}" text-anchor="middle" '
                         f'font-size="11" fill="{MUTED}">{escape(bar.label)}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


@dataclass(frozen=True)
class Flow:
    agency: str  # the other agency's name
    adoptions: int
    label: str = ""  # what its box says, when the name is too long for it


def transfer_map(chart_id: str, agency: str, learned_from: list[Flow], taught: list[Flow], label: str = "") -> Markup:
    """The agency in the middle; those it learned from on the left, arrows into it; those it taught on the right."""
    rows = max(len(learned_from), len(taught), 1)
    row_h, width = 44, 760
    height = rows * row_h + 40
    middle_y = height / 2
    box_w, centre_w = 180, 180
    title = f"Transfer map of {agency}"
    description = (f"{agency} adopted practices from {_agencies(learned_from)}, and its practices were adopted by "
                   f"{_agencies(taught)}. Each arrow points from the agency that shared a practice to the agency "
                   "that adopted it; the number on it is how many adoptions.")
    parts = [f'<svg class="chart transfer-map" id="{escape(chart_id)}" role="img" viewBox="0 0 {width} {height}" '
             f'xmlns="http://www.w3.org/2000/svg" aria-labelledby="{escape(chart_id)}-title {escape(chart_id)}-desc">',
             f'<title id="{escape(chart_id)}-title">{escape(title)}</title>',
             f'<desc id="{escape(chart_id)}-desc">{escape(description)}</desc>',
             f'<defs><marker id="{escape(chart_id)}-arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="8" '
             f'markerHeight="8" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="{ACCENT}"/>'
             '</marker></defs>']
    centre_x = (width - centre_w) / 2
    parts.append(_node(centre_x, middle_y - 20, centre_w, label or agency, strong=True))
    for side, flows in (("left", learned_from), ("right", taught)):
        top = (height - len(flows) * row_h) / 2
        for i, flow in enumerate(flows):
            y = top + i * row_h + row_h / 2
            x = 8 if side == "left" else width - box_w - 8
            parts.append(_node(x, y - 16, box_w, flow.label or flow.agency))
            if side == "left":
                start, end = (x + box_w, y), (centre_x, middle_y)
            else:
                start, end = (centre_x + centre_w, middle_y), (x, y)
            parts.append(f'<line x1="{start[0]:.0f}" y1="{start[1]:.0f}" x2="{end[0]:.0f}" y2="{end[1]:.0f}" '
                         f'stroke="{ACCENT}" stroke-width="{min(1.5 + flow.adoptions, 6)}" '
                         f'marker-end="url(#{escape(chart_id)}-arrow)"/>')
            # the number sits near the outer agency's end of its arrow, clear of the arrowheads in the middle
            near = 0.35 if side == "left" else 0.65
            mid_x, mid_y = start[0] + (end[0] - start[0]) * near, start[1] + (end[1] - start[1]) * near
            parts.append(f'<circle cx="{mid_x:.0f}" cy="{mid_y:.0f}" r="10" fill="#ffffff" stroke="{ACCENT}"/>'
                         f'<text x="{mid_x:.0f}" y="{mid_y + 4:.0f}" text-anchor="middle" font-size="12" '
                         f'fill="#1b1f24">{flow.adoptions}</text>')
    if not learned_from and not taught:
        parts.append(f'<text x="{width / 2:.0f}" y="{middle_y + 40:.0f}" text-anchor="middle" font-size="13" '
                     f'fill="{MUTED}">No adoptions between agencies yet</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


def _node(x: float, y: float, w: float, name: str, strong: bool = False) -> str:
    fill, ink = (NAVY, "#ffffff") if strong else ("#ffffff", "#1b1f24")
    label = name if len(name) <= 24 else name[:23] + "…"
    return (f'<rect x="{x:.0f}" y="{y:.0f}" width="{w:.0f}" height="32" rx="6" fill="{fill}" stroke="{NAVY}"/>'
            f'<text x="{x + w / 2:.0f}" y="{y + 21:.0f}" text-anchor="middle" font-size="13" fill="{ink}">'
            f'{escape(label)}</text>')


def _agencies(flows: list[Flow]) -> str:
    if not flows:
        return "no other agency"
    return ", ".join(f"{flow.agency} ({flow.adoptions})" for flow in flows)
