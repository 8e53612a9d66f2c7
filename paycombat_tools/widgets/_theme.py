"""How the widgets look: one stylesheet whose colours are JupyterLab's theme variables (``--jp-…``).

Every widget root carries the class ``pct`` and a hidden ``<style>`` with this sheet, so light, dark
and high-contrast themes all apply: text uses the theme's font colours (never a fixed grey), messages
and badges mark their kind with a coloured border or dot beside text in the theme's own text colour,
links use ``--jp-content-link-color`` and are underlined, and tables are compact (one line per row).
"""

from __future__ import annotations

from typing import Any

import ipywidgets as widgets

#: The root class of every widget; the sheet below is scoped to it.
ROOT_CLASS = "pct"

STYLESHEET = """
.pct { color: var(--jp-ui-font-color1); font-family: var(--jp-ui-font-family);
       font-size: var(--jp-ui-font-size1); max-width: 100%; }
.pct .pct-title { font-size: var(--jp-ui-font-size2); font-weight: 600; margin: 2px 0 4px; }
.pct .pct-section { font-weight: 600; margin: 6px 0 2px; }
.pct a, .pct a:visited { color: var(--jp-content-link-color); text-decoration: underline; }
.pct a:hover { text-decoration-thickness: 2px; }
.pct code, .pct .pct-code { font-family: var(--jp-code-font-family); font-size: 0.92em;
       color: var(--jp-ui-font-color1); background: none; white-space: nowrap; }
.pct .pct-hint { color: var(--jp-ui-font-color2); }
.pct .pct-hint code { color: inherit; }
.pct .pct-msg { padding: 4px 8px; margin: 2px 0; border-left: 4px solid var(--jp-border-color1);
       color: var(--jp-ui-font-color1); line-height: 1.4; }
.pct .pct-msg--ok { border-left-color: var(--jp-success-color1); }
.pct .pct-msg--error { border-left-color: var(--jp-error-color1); background: var(--jp-rendermime-error-background);
       color: var(--jp-content-font-color0); }
.pct .pct-msg--info { border-left-color: var(--jp-brand-color1); }
.pct .pct-msg--wait { border-left-color: var(--jp-warn-color1); }
.pct .pct-badge { display: inline-block; padding: 0 8px 0 6px; border-radius: 10px; white-space: nowrap;
       border: 1px solid var(--jp-border-color1); color: var(--jp-ui-font-color1); font-size: 0.92em;
       line-height: 1.5; }
.pct .pct-badge::before { content: ""; display: inline-block; width: 0.6em; height: 0.6em;
       border-radius: 50%; margin-right: 5px; background: var(--jp-border-color1); }
.pct .pct-badge--ok { border-color: var(--jp-success-color1); }
.pct .pct-badge--ok::before { background: var(--jp-success-color1); }
.pct .pct-badge--wait { border-color: var(--jp-warn-color1); }
.pct .pct-badge--wait::before { background: var(--jp-warn-color1); }
.pct .pct-badge--error { border-color: var(--jp-error-color1); }
.pct .pct-badge--error::before { background: var(--jp-error-color1); }
.pct .widget-html { max-width: 100%; min-width: 0; }
.pct .widget-html-content { line-height: 1.4; min-width: 0; max-width: 100%; }
.pct .pct-url { white-space: normal; overflow-wrap: anywhere; }
.pct .widget-html-content .pct-title { line-height: 1.6; }
.pct table.pct-table { border-collapse: collapse; font-size: var(--jp-ui-font-size1); margin: 2px 0;
       line-height: 1.35; }
.pct table.pct-table th, .pct table.pct-table td { padding: 2px 6px; white-space: nowrap; text-align: left;
       border-bottom: 1px solid var(--jp-border-color2); vertical-align: top; }
.pct table.pct-table th { font-weight: 600; background: var(--jp-layout-color2); }
.pct table.pct-table .pct-num { text-align: right; font-variant-numeric: tabular-nums; }
.pct .pct-scroll { overflow-x: auto; max-width: 100%; }
.pct .pct-field-ok { color: var(--jp-ui-font-color1); }
.pct .pct-field-error { color: var(--jp-content-font-color0); border-bottom: 2px solid var(--jp-error-color1); }
.pct .pct-required { font-weight: 600; }
.pct .widget-label, .pct .widget-label-basic { color: var(--jp-ui-font-color1); }
.pct .pct-strong-button { border: 2px solid var(--jp-brand-color1); font-weight: 600; }
.pct .pct-danger-button { border: 2px solid var(--jp-error-color1); font-weight: 600; }
.pct .pct-danger-button:disabled, .pct .pct-strong-button:disabled { border-color: var(--jp-border-color2); }
.jp-OutputArea-child:has(+ .jp-OutputArea-child .pct) .pct-rerun-note { display: none; }
.pct .itables_anywidget, .pct .dt-container { max-width: 100%; min-width: 0; }
.pct .dt-container, .pct table.dataTable { font-size: var(--jp-ui-font-size1); line-height: 1.35; }
.pct table.dataTable td, .pct table.dataTable th { white-space: nowrap; }
.pct .dt-container .dt-search input, .pct .dt-container .dt-input { color: var(--jp-ui-font-color1);
       background: var(--jp-layout-color1); border: 1px solid var(--jp-border-color1); }
.pct .dt-container .dt-info, .pct .dt-container label, .pct .dt-container .dt-paging .dt-paging-button {
       color: var(--jp-ui-font-color1) !important; }
.pct .dt-container .dt-paging .dt-paging-button.disabled { color: var(--jp-ui-font-color2) !important; }
.pct .dt-container button.dt-button { color: var(--jp-ui-font-color1); background: var(--jp-layout-color2);
       border: 1px solid var(--jp-border-color1); }
"""


def style_tag() -> widgets.HTML:
    """A hidden HTML widget carrying the stylesheet (a ``<style>`` applies wherever it sits)."""
    return widgets.HTML(f"<style>{STYLESHEET}</style>", layout=widgets.Layout(display="none"))


def themed_root(children: list[Any], *, name: str) -> widgets.VBox:
    """The root container of a widget: the stylesheet, then ``children``; classes ``pct`` and ``pct-<name>``."""
    root = widgets.VBox([style_tag(), *children], layout=widgets.Layout(max_width="100%"))
    root.add_class(ROOT_CLASS)
    root.add_class(f"pct-{name}")
    return root


def strong(button: widgets.Button) -> widgets.Button:
    """Mark the main action of a form (a brand-coloured border; the text keeps the theme's colour)."""
    button.add_class("pct-strong-button")
    return button


def dangerous(button: widgets.Button) -> widgets.Button:
    """Mark an action that moves money (an error-coloured border)."""
    button.add_class("pct-danger-button")
    return button


def rerun_note(name: str) -> str:
    """HTML shown just above a widget's output: hidden by the stylesheet while the widget is alive.

    A saved notebook reopened without its kernel has no widget to draw (JupyterLab says "model not
    found"); this note stays visible there, and in exported or rendered copies, and says what to do.
    """
    return (f"<div class='pct-rerun-note' style='padding:4px 8px;border-left:4px solid var(--jp-warn-color1, #f57c00)'>"
            f"<b>{name}</b> is an interactive widget: it needs this notebook's kernel. "
            "If it is missing below (a saved copy, or the kernel restarted), run this cell again.</div>")
