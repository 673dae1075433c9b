"""A community record written as files: one JSON document (the format `kring import` reads), a CSV per
table, or one readable Markdown or HTML report. Member text is escaped in every form."""

from __future__ import annotations

import csv
import html
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

#: The record's tables, in the order the CSV files and the reports show them.
TABLES = ("organisations", "members", "meetings", "facilitation", "journal", "polls", "digests", "workflows")
#: Columns too long for a report's table (they are in the JSON and the CSV).
LONG = {"body", "content", "data"}


def _cell(value: Any) -> str:
    if value is None:
        return ""
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def _columns(rows: list[dict[str, Any]], report: bool) -> list[str]:
    return [name for name in (rows[0] if rows else {}) if not (report and name in LONG)]


def write_json(record: dict[str, Any], out: Path) -> list[Path]:
    path = out / "community.json"
    path.write_text(json.dumps(record, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return [path]


def write_csv(record: dict[str, Any], out: Path) -> list[Path]:
    written = []
    for table, rows in (("community", [record["community"]]), *((t, record[t]) for t in TABLES)):
        path = out / f"{table}.csv"
        with path.open("w", newline="", encoding="utf-8") as file:
            writer = csv.writer(file)
            columns = _columns(rows, report=False)
            writer.writerow(columns)
            writer.writerows([_cell(row[name]) for name in columns] for row in rows)
        written.append(path)
    return written


def _markdown_cell(value: Any) -> str:
    return _cell(value).replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ").replace("<", "&lt;")


def write_markdown(record: dict[str, Any], out: Path) -> list[Path]:
    community = record["community"]
    lines = [f"# {_markdown_cell(community['name'])}", "",
             *(f"- {name}: {_markdown_cell(value)}" for name, value in community.items())]
    for table in TABLES:
        rows = record[table]
        columns = _columns(rows, report=True)
        lines += ["", f"## {table} ({len(rows)})", ""]
        if columns:
            lines += ["| " + " | ".join(columns) + " |", "|" + " --- |" * len(columns)]
            lines += ["| " + " | ".join(_markdown_cell(row[name]) for name in columns) + " |" for row in rows]
    path = out / "community.md"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return [path]


def write_html(record: dict[str, Any], out: Path) -> list[Path]:
    community = record["community"]
    esc: Callable[[Any], str] = lambda value: html.escape(_cell(value))  # noqa: E731
    parts = [f'<!DOCTYPE html>\n<html lang="{esc(community["language"])}"><head><meta charset="utf-8">'
             f"<title>{esc(community['name'])}</title></head><body><h1>{esc(community['name'])}</h1><dl>",
             *(f"<dt>{esc(name)}</dt><dd>{esc(value)}</dd>" for name, value in community.items()), "</dl>"]
    for table in TABLES:
        rows = record[table]
        columns = _columns(rows, report=True)
        parts.append(f"<h2>{table} ({len(rows)})</h2>")
        if columns:
            parts.append("<table><thead><tr>" + "".join(f'<th scope="col">{esc(c)}</th>' for c in columns)
                         + "</tr></thead><tbody>")
            parts += ["<tr>" + "".join(f"<td>{esc(row[c])}</td>" for c in columns) + "</tr>" for row in rows]
            parts.append("</tbody></table>")
    path = out / "community.html"
    path.write_text("\n".join([*parts, "</body></html>"]) + "\n", encoding="utf-8")
    return [path]


WRITERS: dict[str, Callable[[dict[str, Any], Path], list[Path]]] = {
    "json": write_json, "csv": write_csv, "md": write_markdown, "html": write_html}
