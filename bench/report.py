"""bench/REPORT.md from one run's results (also kept as bench/out/results.json)."""

import os
import platform
import re
from collections.abc import Callable
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path
from typing import Any

from bench.environment import BenchEnvironment
from bench.load import percentile

QUERY_BUDGET = 8
RSS_BUDGET_MB = 200
RUN_LABELS = {"base": "100,000 appointments", "scaled": "1,000,000 appointments"}


@dataclass(frozen=True)
class Target:
    key: str
    title: str
    wanted: str
    limit: Callable[[dict[str, Any]], float]  # the run's measures -> the p95 allowed, in ms


TARGETS = [
    Target("slots_14d", "slots, 1 doctor, 14 days, p95", "≤ 50 ms", lambda _: 50),
    Target(
        "slots_1d",
        "slots, 1 doctor, 1 day, p95",
        "≤ 2x the one-query endpoint",
        lambda measures: 2 * measures["one_query"]["p95_ms"],
    ),
    Target("search_30d", "cross-doctor search, 30 days, p95", "≤ 150 ms", lambda _: 150),
    Target("list_patient", "list of 50 as patient, p95", "≤ 80 ms", lambda _: 80),
    Target("list_doctor", "list of 50 as doctor, p95", "≤ 80 ms", lambda _: 80),
    Target("list_staff", "list of 50 as staff, p95", "≤ 80 ms", lambda _: 80),
    Target("dash_patient", "dashboard `/patient/`, p95", "≤ 150 ms", lambda _: 150),
    Target("dash_doctor", "dashboard `/doctor/`, p95", "≤ 150 ms", lambda _: 150),
    Target("dash_staff", "staff's Today page, p95", "≤ 150 ms", lambda _: 150),
]


def machine(environment: BenchEnvironment) -> dict[str, Any]:
    from django.db import connection

    cpu_model = "unknown"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu_model = line.split(":", 1)[1].strip()
            break
    memory_kb = 0
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal:"):
            memory_kb = int(line.split()[1])
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        postgres = cursor.fetchone()[0]
        cursor.execute("SHOW shared_buffers")
        shared_buffers = cursor.fetchone()[0]
    cache = "local memory (Redis not reachable)"
    if environment.redis_available:
        import redis

        info = redis.Redis.from_url(environment.redis_url).info("server")
        cache = f"Redis {info['redis_version']} (cache, sessions, task queue)"
    return {
        "cpu": cpu_model,
        "cores": os.cpu_count(),
        "memory_gb": round(memory_kb / 2**20, 1),
        "os": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "postgresql": f"{postgres} (shared_buffers {shared_buffers})",
        "django": version("django"),
        "gunicorn": version("gunicorn"),
        "psycopg": version("psycopg"),
        "cache": cache,
    }


def _unexpected(measure: dict[str, Any]) -> int:
    """Answers other than the scenario's own (a 401 would make a fast, meaningless p95)."""
    return measure["requests"] - measure["expected_answers"]


def _target_rows(results: dict[str, Any]) -> list[tuple[Target, str, float, float, bool]]:
    """(target, run, p95, limit, met) for every target and run; a run with unexpected
    answers does not meet its target, however fast."""
    rows = []
    for target in TARGETS:
        for run, data in results["runs"].items():
            measures = data["measures"]
            p95, limit = measures[target.key]["p95_ms"], target.limit(measures)
            met = p95 <= limit and not _unexpected(measures[target.key])
            rows.append((target, run, p95, limit, met))
    return rows


def targets_missed(results: dict[str, Any]) -> list[str]:
    """Scenario keys that missed a latency target in any run."""
    missed = [target.key for target, _, _, _, met in _target_rows(results) if not met]
    return list(dict.fromkeys(missed))


def _met(ok: bool) -> str:
    return "met" if ok else "**not met**"


def _ms(value: float) -> str:
    return f"{value:,.1f} ms" if value < 100 else f"{value:,.0f} ms"


def write_report(results: dict[str, Any], path: Path) -> None:
    lines: list[str] = []
    add = lines.append
    runs = results["runs"]
    minutes, seconds = divmod(round(results["wall_seconds"]), 60)
    add("# Benchmark report\n")
    add(
        f"Written by `{results['command']}` on {results['date']} (UTC), from that run: "
        f"{minutes} min {seconds} s in all, data generation included. Seed {results['seed']}.\n"
    )
    add("Figures vary from run to run and with anything else the machine is doing; they are ")
    add("measures of this run, not guarantees. `bench/README.md` says how they are taken.\n")

    add("## Machine\n")
    add("| | |\n| --- | --- |")
    info = results["machine"]
    add(f"| CPU | {info['cpu']}, {info['cores']} cores |")
    add(f"| Memory | {info['memory_gb']} GB |")
    add(f"| OS | {info['os']} |")
    add(f"| Python | {info['python']} |")
    add(f"| PostgreSQL | {info['postgresql']} |")
    add(f"| Django, gunicorn, psycopg | {info['django']}, {info['gunicorn']}, {info['psycopg']} |")
    add(f"| Cache | {info['cache']} |")
    add(
        "| Server | gunicorn, 2 sync workers, production settings (`bench/settings.py`), "
        "DEBUG off, on the same machine as the database and the clients |"
    )
    add(
        f"| Load | {results['concurrency']} client threads, one connection per request, "
        f"latency measured by the client |\n"
    )

    add("## Targets\n")
    header = " | ".join(RUN_LABELS[run] for run in runs)
    add(f"| Measure | Target | {header} |")
    add("| --- | --- | " + " | ".join("---" for _ in runs) + " |")
    rows = _target_rows(results)
    for target in TARGETS:
        cells = []
        for _, run, p95, limit, met in (row for row in rows if row[0] is target):
            notes = [f"limit {_ms(limit)}"] if target.key == "slots_1d" else []
            if unexpected := _unexpected(results["runs"][run]["measures"][target.key]):
                notes.append(f"{unexpected} unexpected answers")
            note = f" ({'; '.join(notes)})" if notes else ""
            cells.append(f"{_ms(p95)}{note}: {_met(met)}")
        add(f"| {target.title} | {target.wanted} | " + " | ".join(cells) + " |")
    cells = []
    for data in runs.values():
        counts = {key: item["queries"] for key, item in data["queries"].items()}
        over = {key: count for key, count in counts.items() if count > QUERY_BUDGET}
        unanswered = [key for key, item in data["queries"].items() if not item["as_expected"]]
        worst = max(counts, key=counts.__getitem__)
        detail = ", ".join(f"{key} {count}" for key, count in over.items()) or "none over"
        if unanswered:
            detail += f"; not counted, as answered wrongly: {', '.join(unanswered)}"
        met = not over and not unanswered
        cells.append(f"max {counts[worst]} ({worst}); {detail}: {_met(met)}")
    add(f"| queries per request | ≤ {QUERY_BUDGET} | " + " | ".join(cells) + " |")
    cells = []
    for run in runs:
        workers = results["memory"].get(run, [])
        largest = max((worker["rss_mb"] for worker in workers), default=0)
        cells.append(f"{largest:.0f} MB (largest worker): {_met(largest <= RSS_BUDGET_MB)}")
    add(f"| RSS per worker | ≤ {RSS_BUDGET_MB} MB | " + " | ".join(cells) + " |")
    contention = results["contention"]
    bookings_5xx = sum(
        count
        for data in runs.values()
        for measure in data["measures"].values()
        for status, count in measure["statuses"].items()
        if int(status) >= 500
    )
    add(
        f"| double bookings (contention) | 0 | {contention['double_bookings']}: "
        f"{_met(contention['double_bookings'] == 0)} |"
    )
    errors = contention["server_errors"] + bookings_5xx
    add(f"| 5xx answers (whole run) | 0 | {errors}: {_met(errors == 0)} |\n")

    for run, data in runs.items():
        _latency_table(add, results, run, data)
    if "scaled" in runs:
        _scaling_table(add, runs)
    _contention_section(add, contention)
    _memory_section(add, results)
    _plans_section(add, results.get("plans", []))
    _profiles_section(add, results.get("profiles", {}))
    _data_section(add, results)
    path.write_text("\n".join(lines) + "\n")


def _latency_table(add: Callable[[str], None], results: dict, run: str, data: dict) -> None:
    measures, queries = data["measures"], data["queries"]
    live = measures["health"]
    server = results.get("server_timings", {}).get(run, {})
    add(f"## Every endpoint at {RUN_LABELS[run]}\n")
    add(
        f"While these were measured, processes other than the suite's (client, gunicorn and "
        f"the database backends serving them) used {data['cpu_used_by_others']:.0%} of the "
        f"machine's CPU time.\n"
    )
    add(
        "Latency is measured by the client; `/ live` is the ratio to `/health/live` in the same "
        "run; the server's own time comes from its access log (the time inside Django). SQL "
        "is the number of queries of one request, counted in-process as the app's tests count "
        "them; in brackets, every round trip to the database, with the BEGIN and COMMIT that "
        "wrap each write outside a transaction (the audit insert of a read page, for one).\n"
    )
    add(
        "| Endpoint | n | p50 | p95 | p99 | p50 / live | p95 / live | server p50 | server p95 "
        "| SQL (round trips) | answers |"
    )
    add("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |")
    for key, measure in measures.items():
        own = server.get(key, [])
        server_cells = (
            f"{_ms(percentile(own, 0.5))} | {_ms(percentile(own, 0.95))}" if own else "- | -"
        )
        statuses = ", ".join(f"{status}: {count}" for status, count in measure["statuses"].items())
        add(
            f"| {measure['title']} | {measure['requests']} | {_ms(measure['p50_ms'])} "
            f"| {_ms(measure['p95_ms'])} | {_ms(measure['p99_ms'])} "
            f"| {measure['p50_ms'] / live['p50_ms']:.1f} "
            f"| {measure['p95_ms'] / live['p95_ms']:.1f} "
            f"| {server_cells} | {_sql_cell(queries[key])} | {statuses} |"
        )
    add("")


def _sql_cell(count: dict[str, Any]) -> str:
    cell = f"{count['queries']} ({count['round_trips']})"
    return cell if count["as_expected"] else f"{cell}, but answered {count['status']}"


def _scaling_table(add: Callable[[str], None], runs: dict) -> None:
    add("## Scaling: 10x the appointments\n")
    add(
        "The extra 900,000 appointments are older history (the weeks ahead are unchanged), so "
        "an endpoint whose cost follows the range it asks for stays flat, and one whose cost "
        "follows the table grows.\n"
    )
    add("| Endpoint | p95 at 100k | p95 at 1M | 1M ÷ 100k | SQL (round trips) at 100k | at 1M |")
    add("| --- | ---: | ---: | ---: | ---: | ---: |")
    base, scaled = runs["base"], runs["scaled"]
    for key, measure in base["measures"].items():
        if key not in scaled["measures"]:
            continue
        before, after = measure["p95_ms"], scaled["measures"][key]["p95_ms"]
        add(
            f"| {measure['title']} | {_ms(before)} | {_ms(after)} | {after / before:.2f} "
            f"| {_sql_cell(base['queries'][key])} | {_sql_cell(scaled['queries'][key])} |"
        )
    add("")


def _contention_section(add: Callable[[str], None], contention: dict) -> None:
    add("## Contention\n")
    statuses = ", ".join(
        f"{status}: {count}" for status, count in contention["same_slot_statuses"].items()
    )
    add(
        f"- {contention['clients']} clients (different patients) book the same slot at once: "
        f"{statuses}; the slot holds {contention['same_slot_held']} appointment(s) afterwards."
    )
    pairs = ", ".join(f"{status}: {count}" for status, count in contention["pair_statuses"].items())
    add(
        f"- One patient books two doctors' overlapping slots at once, {contention['pair_rounds']} "
        f"times (another patient each time): {pairs}; patients holding both: "
        f"{contention['pair_double_booked_patients']}."
    )
    add(
        f"- Afterwards, over every appointment that holds time: {contention['doctor_overlaps']} "
        f"overlapping pairs per doctor (buffers included), {contention['patient_overlaps']} per "
        f"patient. Double bookings: **{contention['double_bookings']}**; 5xx answers: "
        f"**{contention['server_errors']}**.\n"
    )


def _memory_section(add: Callable[[str], None], results: dict) -> None:
    add("## Memory of the gunicorn workers\n")
    add("| After | Worker | RSS | Peak RSS |")
    add("| --- | --- | ---: | ---: |")
    for run, workers in results["memory"].items():
        for worker in workers:
            add(
                f"| the run at {RUN_LABELS[run]} | pid {worker['pid']} "
                f"| {worker['rss_mb']:.0f} MB | {worker['peak_rss_mb']:.0f} MB |"
            )
    add("")


def _plans_section(add: Callable[[str], None], plans: list[dict]) -> None:
    if not plans:
        return
    add("## The three heaviest queries at 1,000,000 appointments\n")
    add(
        "Every statement the measured endpoints sent was run again under "
        "`EXPLAIN (ANALYZE, BUFFERS)` (in a transaction rolled back); these took longest.\n"
    )
    for number, plan in enumerate(plans, 1):
        endpoints = ", ".join(sorted(set(plan["endpoints"])))
        add(f"### {number}. {plan['milliseconds']:.1f} ms, sent by {endpoints}\n")
        add("```sql\n" + _abridged(plan["sql"]) + "\n```\n")
        add("```\n" + plan["text"] + "\n```\n")


SELECT_LIST = re.compile(r"^SELECT (.{200,}?) FROM ", re.DOTALL)


def _abridged(sql: str) -> str:
    """The statement with a long select list cut to its count (results.json keeps it all)."""
    match = SELECT_LIST.match(sql)
    if match is None:
        return sql
    columns = match.group(1).count(", ") + 1
    return f"SELECT /* {columns} columns */ FROM {sql[match.end() :]}"


PROFILE_LINES = 25


def _profiles_section(add: Callable[[str], None], profiles: dict) -> None:
    if not profiles:
        return
    add("## Profiles of the endpoints that missed a target\n")
    add(
        "pyinstrument, in-process (same settings and database, after the 1,000,000-appointment "
        "run), over a few requests each: the functions that took the most time themselves. "
        "The full call trees are in `bench/out/results.json`.\n"
    )
    for key, profile in profiles.items():
        add(f"### {key}: {profile['ms_per_request']:.0f} ms per request in-process\n")
        add("```\n" + "\n".join(_profile_lines(profile["flat"])[:PROFILE_LINES]) + "\n```\n")


def _profile_lines(text: str) -> list[str]:
    """pyinstrument's lines without its banner (which names the machine's paths)."""
    lines = text.strip().splitlines()
    for index, line in enumerate(lines):
        if line.startswith("Profile at "):
            return [line for line in lines[index + 1 :] if line.strip()]
    return lines


def _data_section(add: Callable[[str], None], results: dict) -> None:
    add("## Data and timings\n")
    data = results["data"]
    add("| Rows | " + " | ".join(RUN_LABELS[run] for run in data) + " |")
    add("| --- | " + " | ".join("---:" for _ in data) + " |")
    for label in data["base"]:
        add(f"| {label} | " + " | ".join(f"{sizes[label]:,}" for sizes in data.values()) + " |")
    add("")
    add("| Step | Wall time |\n| --- | ---: |")
    for phase, seconds in results["phases"].items():
        add(f"| {phase} | {seconds:.1f} s |")
    add("")
