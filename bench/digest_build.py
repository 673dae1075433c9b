"""Digests: building and rendering the 18-month digest with its charts (time and peak memory), and
building one for each of 1,000 communities of 20 members — against baselines from the same run.

    python bench/digest_build.py [--communities 1000] [--repeat 20]

Baselines: reading one community's members (for building), and saving an empty picture of a
chart's size as PNG (for the charts). Uses KRING_BENCH_DATABASE_URL when set (else SQLite in a temporary folder).
"""

from __future__ import annotations

import argparse
import io
import os
import random
import resource
import tempfile
import time
import tracemalloc
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from PIL import Image
from timing import median_seconds

from plugin.digests.charts import WIDTH, all_charts, forget_drawn
from plugin.digests.content import build
from plugin.digests.render import render
from plugin.engine.journal import EntryKind
from plugin.storage.database import Database
from plugin.storage.models import Community, JournalEntry, Meeting, Member, Organisation, Poll
from plugin.storage.states import MeetingStatus, PollStatus

START = datetime(2027, 1, 12, 13, tzinfo=UTC)
END = START + timedelta(days=548)
MEMBERS, ORGANISATIONS, MEETINGS = 20, 8, 14


def seed(database: Database, communities: int, rng: random.Random) -> list[int]:
    """``communities`` CoPs of 20 members from 8 organisations, each with 18 months of records."""
    ids = []
    with database.session() as session:
        for number in range(communities):
            community = Community(platform="mattermost", external_group_id=f"bench-{number}",
                                  name=f"CoP {number}", language="nl", timezone="Europe/Amsterdam",
                                  start_date=date(2027, 1, 12), created_at=START,
                                  domain_statement="Hoe maken we hergebruik vanzelfsprekend?")
            session.add(community)
            session.flush()
            ids.append(community.id)
            organisations = [Organisation(community_id=community.id, name=f"Organisatie {o}", sector=f"s{o % 4}",
                                          digest_contacts=[]) for o in range(ORGANISATIONS)]
            session.add_all(organisations)
            session.flush()
            members = [Member(community_id=community.id, platform_user_id=f"u{number}-{m}", name=f"Lid {m}",
                              organisation_id=organisations[m % ORGANISATIONS].id, consent=m % 3 == 0,
                              joined_at=START) for m in range(MEMBERS)]
            session.add_all(members)
            session.flush()
            rows: list[dict[str, Any]] = []
            for meeting in range(1, MEETINGS + 1):
                starts = START + timedelta(weeks=6 * (meeting - 1))
                session.add(Meeting(community_id=community.id, number=meeting, starts_at=starts,
                                    ends_at=starts + timedelta(hours=3), status=MeetingStatus.PLANNED))
                votes = [rng.randint(1, 5) for _ in range(rng.randint(2, MEMBERS))]
                average = round(sum(votes) / len(votes), 2)
                session.add(Poll(key=f"p{number}-{meeting}", community_id=community.id,
                                 question=f"Hoe waardevol was bijeenkomst {meeting}?",
                                 options=["1", "2", "3", "4", "5"], anonymous=True, multiple=False, voters=[],
                                 opened_at=starts, closes_at=starts + timedelta(days=2),
                                 closed_at=starts + timedelta(days=2), status=PollStatus.CLOSED,
                                 results={"votes": len(votes), "average": average,
                                          "counts": {str(v): votes.count(v) for v in range(1, 6)}}))
                rows.append(dict(kind=EntryKind.EVALUATION, text=str(average), meeting_number=meeting,
                                 data={"average": average if len(votes) >= 3 else None, "votes": len(votes)},
                                 private=False, created_at=starts + timedelta(days=2)))
                for member in members[:10]:
                    rows.append(dict(kind=EntryKind.HIGHLIGHT, text=f"Inzicht van {member.name} ({meeting})",
                                     member_id=member.id, private=True, data={}, created_at=starts + timedelta(days=3)))
            for index in range(6):
                pair = rng.sample(organisations, 2)
                rows.append(dict(kind=EntryKind.COALITION, text="samenwerking", member_id=members[index].id,
                                 private=False, data={"organisations": [pair[0].name, pair[1].name],
                                                      "what": f"Pilot {index}"}, created_at=START))
                rows.append(dict(kind=EntryKind.EXPERIMENT, text=f"Experiment {index}", member_id=members[index].id,
                                 private=False, data={}, created_at=START + timedelta(weeks=index * 8)))
                rows.append(dict(kind=EntryKind.DECISION, text=f"Besluit {index}", private=False,
                                 data={"adopted": index % 2 == 0, "agree": 8, "disagree": 3},
                                 created_at=START + timedelta(weeks=index * 9)))
            counters: dict[EntryKind, int] = {}
            for row in rows:
                counters[row["kind"]] = counters.get(row["kind"], 0) + 1
                session.add(JournalEntry(community_id=community.id, number=counters[row["kind"]], **row))
            session.flush()
    return ids



def empty_png() -> bytes:
    """A white picture the size of the evaluation chart, saved as PNG: what any chart pays at least."""
    buffer = io.BytesIO()
    Image.new("RGB", (WIDTH, 310), "white").save(buffer, format="PNG")
    return buffer.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--communities", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    url = os.environ.get("KRING_BENCH_DATABASE_URL") or f"sqlite:///{Path(tempfile.mkdtemp()) / 'bench.db'}"
    database = Database(url)
    database.downgrade("base")
    database.upgrade()
    started = time.perf_counter()
    ids = seed(database, args.communities, random.Random(7))
    print(f"seeded {len(ids)} communities x {MEMBERS} members, 18 months each, in {time.perf_counter() - started:.1f} s"
          f" ({database.display_url})")
    with database.session() as session:
        community = session.get_one(Community, ids[0])
        audience = "Organisatie 0"

        def read_members() -> object:
            return session.scalars(sa.select(Member).where(Member.community_id == community.id)).all()

        def build_one() -> object:
            return build(session, community, audience, None, END)

        baseline = median_seconds(read_members, args.repeat)
        building = median_seconds(build_one, args.repeat)
        content = build(session, community, audience, None, END)
        rendering = median_seconds(lambda: render(content, {}), args.repeat)
        png_baseline = median_seconds(empty_png, max(3, args.repeat // 4))
        charting = median_seconds(lambda: forget_drawn() or all_charts(content), max(3, args.repeat // 4))
        tracemalloc.start()
        render(build(session, community, audience, None, END), all_charts(content))
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        started = time.perf_counter()
        for community_id in ids:
            build(session, session.get_one(Community, community_id), "field", None, END)
        every = time.perf_counter() - started
    print(f"{'step':<52}{'time':>12}{'ratio':>10}")
    print(f"{'baseline: read a community members':<52}{baseline * 1e3:>10.2f}ms{1:>9.1f}x")
    print(f"{'build the 18-month digest of one organisation':<52}{building * 1e3:>10.2f}ms{building / baseline:>9.1f}x")
    print(f"{'render Markdown + HTML + text (no charts)':<52}{rendering * 1e3:>10.2f}ms{rendering / baseline:>9.1f}x")
    print(f"{'baseline: save an empty picture as PNG':<52}{png_baseline * 1e3:>10.2f}ms{1:>9.1f}x")
    print(f"{'draw the 3 charts (trend, participation, social map)':<52}{charting * 1e3:>10.2f}ms"
          f"{charting / png_baseline:>9.1f}x")
    print(f"{'peak Python memory of build + charts + render':<52}{peak / 2**20:>10.1f}MB  (tracemalloc)")
    print(f"{'peak resident memory of this whole process':<52}"
          f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:>10.1f}MB")
    print(f"{f'build the field digest of all {len(ids)} communities':<52}{every:>11.2f}s"
          f"{every / len(ids) / baseline:>9.1f}x per community ({every / len(ids) * 1e3:.1f} ms)")


if __name__ == "__main__":
    main()
