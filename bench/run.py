"""The benchmark suite, as `make bench` runs it; writes bench/REPORT.md from the run.

    .venv/bin/python -m bench.run [--requests 200] [--concurrency 2] [--seed 42]

1. Creates its own database (`clinic_bench`) on the local PostgreSQL, migrates it and collects
   the static files into a temporary directory.
2. Generates the clinic (bench/dataset.py): 200 doctors, 5,000 patients, 100,000 appointments.
3. Starts gunicorn with two workers on production's settings (bench/settings.py) and measures
   every endpoint of bench/scenarios.py from the client side (p50, p95), with /health/live and
   a one-query endpoint as floors; counts each endpoint's SQL queries in this process.
4. Races bookings (bench/contention.py) and checks the database for double bookings.
5. Reads the workers' memory, grows the history to 1,000,000 appointments and measures again,
   then explains the three heaviest queries and profiles the endpoints that missed a target.
6. Writes the report, drops the database and removes its temporary files and Redis keys.
"""

import argparse
import json
import logging
import secrets
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bench.cpu import CpuShare
from bench.environment import DEFAULT_DATABASE, BenchEnvironment

if TYPE_CHECKING:  # these import the app's models, which need Django set up first
    from bench.load import Scenario
    from bench.probes import Cast, Openings
    from bench.scenarios import Sessions
    from bench.serve import Gunicorn

BENCH_DIR = Path(__file__).resolve().parent
OUT_DIR = BENCH_DIR / "out"
REPORT_PATH = BENCH_DIR / "REPORT.md"
SCALE_TOTAL = 1_000_000
# Bookings go into weeks that are still mostly free, clear of the generated busy days.
OPENINGS_FROM_DAYS, OPENINGS_TO_DAYS = 21, 45
PROFILED_REQUESTS = 10
PROFILE_BUDGET_SECONDS = 2.0  # per endpoint; at least one request is profiled


class Phases:
    """Wall time of each step, for the report and the console."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}

    @contextmanager
    def phase(self, name: str) -> Iterator[None]:
        print(f"== {name}", file=sys.stderr, flush=True)
        started = time.perf_counter()
        try:
            yield
        finally:
            self.seconds[name] = time.perf_counter() - started
            print(f"   {name}: {self.seconds[name]:.1f}s", file=sys.stderr, flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=200, help="per endpoint, at most")
    parser.add_argument("--bookings", type=int, default=100)
    parser.add_argument("--concurrency", type=int, default=2, help="client threads")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--database", default=DEFAULT_DATABASE)
    parser.add_argument("--scale-to", type=int, default=SCALE_TOTAL, help="0 skips scaling")
    parser.add_argument("--keep-database", action="store_true")
    parser.add_argument("--command", default="", help="how the run was started, for the report")
    args = parser.parse_args()

    started = time.perf_counter()
    environment = BenchEnvironment(database=args.database)
    environment.apply()
    (OUT_DIR / "queries").mkdir(parents=True, exist_ok=True)
    phases = Phases()
    try:
        with phases.phase("database"):
            environment.create_database()
            prepare_django()
        results = Suite(args, environment, phases).run()
    finally:
        if not args.keep_database:
            environment.drop_database()
        environment.clean_up()
    results["wall_seconds"] = time.perf_counter() - started
    results["phases"] = phases.seconds

    from bench.report import write_report

    (OUT_DIR / "results.json").write_text(json.dumps(results, indent=2, default=str))
    write_report(results, REPORT_PATH)
    print(f"wrote {REPORT_PATH.relative_to(BENCH_DIR.parent)} in {results['wall_seconds']:.0f}s")


def prepare_django() -> None:
    """Set Django up on the new database: migrate, and collect the hashed static files that
    production's pages link to."""
    import django

    django.setup()
    # The suite's own in-process requests (query counts, profiles) would each log a line.
    logging.getLogger("core.access").setLevel(logging.WARNING)
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("collectstatic", verbosity=0, interactive=False)


class Suite:
    """The steps after the database exists, sharing the actors, their sessions and the SQL
    seen (for the plans)."""

    cast: "Cast"
    sessions: "Sessions"

    def __init__(
        self, args: argparse.Namespace, environment: BenchEnvironment, phases: Phases
    ) -> None:
        from django.utils import timezone

        from bench import dataset, probes
        from bench.report import machine

        self.args = args
        self.phases = phases
        self.workdir = environment.workdir
        self.now = dataset.default_now()
        self.first_day = timezone.now().date() + timedelta(days=1)
        self.password = secrets.token_urlsafe(16)
        self.statements: defaultdict[str, list[str]] = defaultdict(list)
        self.results: dict[str, Any] = {
            "command": args.command or " ".join(["python -m bench.run", *sys.argv[1:]]),
            "date": timezone.now().isoformat(timespec="seconds"),
            "machine": machine(environment),
            "seed": args.seed,
            "concurrency": args.concurrency,
            "data": {},
            "runs": {},
            "memory": {},
        }
        self.probes = probes
        self.dataset = dataset

    def run(self) -> dict[str, Any]:
        from bench.contention import run_contention
        from bench.scenarios import Sessions
        from bench.serve import Gunicorn

        args, dataset, results = self.args, self.dataset, self.results
        scale = dataset.Scale()
        with self.phases.phase("generate"):
            dataset.generate_people(
                seed=args.seed, now=self.now, scale=scale, password=self.password
            )
            dataset.generate_appointments(seed=args.seed, now=self.now, count=scale.appointments)
        results["data"]["base"] = data_sizes()
        self.cast = self.probes.choose_cast(args.seed)
        log_path = OUT_DIR / "gunicorn.log"
        log_path.write_text("")
        with Gunicorn(log_path, self.workdir / "metrics") as gunicorn:
            with self.phases.phase("sign in"):
                sign_in = self._sessions_of(gunicorn)
                self.sessions = Sessions(
                    patients=sign_in(self.cast.dashboard_patients),
                    doctors=sign_in(self.cast.busy_doctors),
                    staff=sign_in(self.cast.staff[:2]),
                )
            with self.phases.phase("measure at 100,000 appointments"):
                openings = self._measure(gunicorn, "base")
            with self.phases.phase("contention"):
                contention = run_contention(gunicorn.server, self.cast, openings)
                results["contention"] = contention.as_dict()
            results["memory"]["base"] = gunicorn.worker_memory()
            if args.scale_to:
                with self.phases.phase(f"grow to {args.scale_to:,} appointments"):
                    dataset.extend_history(seed=args.seed, now=self.now, total=args.scale_to)
                results["data"]["scaled"] = data_sizes()
                self.statements.clear()  # the plans are explained at the larger scale
                with self.phases.phase(f"measure at {args.scale_to:,} appointments"):
                    self._measure(gunicorn, "scaled")
                with self.phases.phase("explain"):
                    plans = self.probes.explain_heaviest(dict(self.statements))
                    results["plans"] = [plan.__dict__ for plan in plans]
                results["memory"]["scaled"] = gunicorn.worker_memory()
        results["server_timings"] = server_timings(log_path)
        with self.phases.phase("profile the misses"):
            results["profiles"] = self._profile_misses()
        return results

    def _sessions_of(self, gunicorn: "Gunicorn") -> Callable[[list], list[str]]:
        def sign_in(users: list) -> list[str]:
            return [
                self.probes.session_for(gunicorn.server, user.email, self.password)
                for user in users
            ]

        return sign_in

    def _scenarios(
        self, openings: "Openings | None", requests: int, bookings: int
    ) -> list["Scenario"]:
        from bench.scenarios import build_scenarios

        return build_scenarios(
            cast=self.cast,
            sessions=self.sessions,
            openings=openings,
            first_day=self.first_day,
            requests=requests,
            bookings=bookings,
        )

    def _measure(self, gunicorn: "Gunicorn", tag: str) -> "Openings":
        """Every scenario against the server, then each one's SQL in-process. Returns the
        openings left, for the contention."""
        from django.utils import timezone

        from bench.load import run_scenario

        today = timezone.now().date()
        openings = self.probes.Openings(
            seed=self.args.seed,
            first_day=today + timedelta(days=OPENINGS_FROM_DAYS),
            last_day=today + timedelta(days=OPENINGS_TO_DAYS),
        )
        scenarios = self._scenarios(openings, self.args.requests, self.args.bookings)
        run: dict[str, Any] = {"measures": {}, "queries": {}}
        cpu = CpuShare(lambda: [*gunicorn.pids(), *database_backend_pids()])
        cpu.start()
        for scenario in scenarios:
            measure = run_scenario(
                gunicorn.server, scenario, concurrency=self.args.concurrency, tag=tag
            )
            run["measures"][scenario.key] = measure.as_dict()
            print(
                f"   {scenario.key:<13} p50 {measure.percentile(0.5) * 1000:7.1f} ms"
                f"  p95 {measure.percentile(0.95) * 1000:7.1f} ms  {dict(measure.statuses)}",
                file=sys.stderr,
                flush=True,
            )
        run["cpu_used_by_others"] = cpu.others()
        for scenario in scenarios:
            if scenario.key == "booking":  # the two spare openings: one warms, one is counted
                spare = scenario.requests + scenario.warmup
                count = self.probes.count_queries(
                    scenario.make_request(spare + 1), warm=scenario.make_request(spare)
                )
            else:
                count = self.probes.count_queries(
                    scenario.make_request(0), warm=scenario.cheap_warmup
                )
            run["queries"][scenario.key] = {
                "status": count.status,
                "as_expected": count.status in scenario.expected,
                "queries": count.queries,
                "round_trips": count.round_trips,
            }
            for statement in count.statements:
                self.statements[statement["sql"]].append(scenario.key)
            statements = "\n".join(f"{item['sql']};\n" for item in count.statements)
            (OUT_DIR / "queries" / f"{tag}-{scenario.key}.sql").write_text(statements)
        self.results["runs"][tag] = run
        return openings

    def _profile_misses(self) -> dict[str, Any]:
        """pyinstrument over a few requests of each read endpoint that missed its target."""
        from bench.report import targets_missed

        missed = set(targets_missed(self.results))
        profiles = {}
        for scenario in self._scenarios(openings=None, requests=PROFILED_REQUESTS, bookings=0):
            if scenario.key in missed:
                requests = [scenario.make_request(number) for number in range(PROFILED_REQUESTS)]
                profiles[scenario.key] = self.probes.profile(
                    requests, budget_seconds=PROFILE_BUDGET_SECONDS
                )
        return profiles


def database_backend_pids() -> list[int]:
    """The server processes of PostgreSQL that serve this database (the suite's own)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pid FROM pg_stat_activity WHERE datname = current_database()")
        return [pid for (pid,) in cursor.fetchall()]


def data_sizes() -> dict[str, Any]:
    from django.db import connection

    from appointments.models import Appointment
    from doctors.models import Doctor
    from patients.models import CareAssignment, Patient, PatientUserObjectPermission

    sizes: dict[str, Any] = {}
    for label, model in (
        ("doctors", Doctor),
        ("patients", Patient),
        ("appointments", Appointment),
        ("care assignments", CareAssignment),
        ("patient object permissions", PatientUserObjectPermission),
    ):
        sizes[label] = model.objects.count()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_total_relation_size(%s), pg_database_size(current_database())",
            [Appointment._meta.db_table],
        )
        table_bytes, database_bytes = cursor.fetchone()
    sizes["appointments table MB"] = round(table_bytes / 2**20)
    sizes["database MB"] = round(database_bytes / 2**20)
    return sizes


def server_timings(log_path: Path) -> dict[str, dict[str, list[float]]]:
    """The server's own duration of each measured request, from its access log."""
    found: dict[str, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    for line in log_path.read_text(errors="replace").splitlines():
        if not line.startswith("{"):
            continue
        try:
            entry = json.loads(line)
        except ValueError:
            continue
        request_id = str(entry.get("request_id", ""))
        if entry.get("message") != "request" or request_id.count("-") < 2:
            continue
        tag, key, _ = request_id.split("-", 2)
        if key and "duration_ms" in entry:
            found[tag][key].append(float(entry["duration_ms"]))
    return {tag: dict(keys) for tag, keys in found.items()}


if __name__ == "__main__":
    main()
