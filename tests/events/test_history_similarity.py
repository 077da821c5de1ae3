"""History on the demo corpus: two mornings in one store, as the issue tells it.

Day 1 holds the first report of Zelensky's US trip (article 000 of the demo corpus,
as JSON with a title and an outlet, dated 2022-12-20); day 2 holds the second
report of the same trip (article 001, 2022-12-21) and Blinken and Lammy's visit to
Kyiv (article 004). Built together, 000 and 001 are one event; built on two
mornings, the trip must be *developing* on day 2 and the visit *new*.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from tests.conftest import DEMO

DAY1, DAY2 = dt.date(2022, 12, 20), dt.date(2022, 12, 21)
TITLES = {
    "000": "Zelensky confirms he is visiting the United States",
    "001": "Zelensky heads to US for first overseas visit since invasion",
    "004": "Blinken and Lammy arrive in Kyiv for talks",
}


def _write(folder: Path, number: str, date: dt.date) -> None:
    source = next(DEMO.glob(f"{number}_*.txt")).read_text("utf-8")
    lines = source.strip().splitlines()
    if lines[0].strip().startswith("date "):  # 000 opens with a stray date line
        lines[0] = lines[0].strip().split(" ", 2)[2]
    elif number == "001":  # its first line is its title
        lines = lines[1:]
    doc = {"title": TITLES[number], "text": "\n".join(lines).strip(), "date": date.isoformat(),
           "source": "Demo News"}
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{number}.json").write_text(json.dumps(doc), "utf-8")


def _build(root: Path, folder: str, date: dt.date) -> dict:
    from briefing.pipeline import BuildOptions, build_briefing

    build_briefing(BuildOptions(paths=(root / folder,), date=date, out_dir=root / "out",
                                db_path=root / "briefing.db", window=1, formats=("json",)))
    return json.loads((root / "out" / f"{date.isoformat()}.json").read_text("utf-8"))


def test_the_trip_develops_on_day2_and_the_visit_is_new(tmp_path):
    _write(tmp_path / "day1", "000", DAY1)
    _write(tmp_path / "day2", "001", DAY2)
    _write(tmp_path / "day2", "004", DAY2)
    first = _build(tmp_path, "day1", DAY1)
    assert [e["status"] for e in first["events"]] == ["new"]
    second = _build(tmp_path, "day2", DAY2)
    status = {a["title"]: e["status"] for e in second["events"] for a in e["articles"]}
    assert status == {TITLES["001"]: "developing", TITLES["004"]: "new"}
    assert len(second["events"]) == 2
