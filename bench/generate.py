"""Generate the benchmark clinic into a database of its own, and keep it.

    .venv/bin/python -m bench.generate [--seed 42] [--appointments 100000] [--extend-to 0]

Creates (or recreates) the database `clinic_bench_data` on the local PostgreSQL, migrates it and
fills it: 200 doctors, 5,000 patients and 100,000 appointments by default, then, with
`--extend-to`, older history up to that many appointments. The same seed and `--now` (by
default, the current hour) give the same rows. It prints the settings to open the database
with (the encryption key of the patients' insurance fields is made for the run). `make bench`
does all this by itself.
"""

import argparse
import sys
import time
from datetime import datetime

from bench.environment import BenchEnvironment


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--database", default="clinic_bench_data")
    parser.add_argument("--doctors", type=int, default=200)
    parser.add_argument("--patients", type=int, default=5_000)
    parser.add_argument("--appointments", type=int, default=100_000)
    parser.add_argument("--extend-to", type=int, default=0)
    parser.add_argument("--password", default="bench-password-0", help="every account's")
    parser.add_argument(
        "--now",
        type=datetime.fromisoformat,
        default=None,
        help="the clock to generate around, e.g. 2026-06-01T09:00+00:00 (default: this hour)",
    )
    args = parser.parse_args()

    environment = BenchEnvironment(database=args.database)
    environment.apply()
    environment.create_database()

    import django
    from django.core.management import call_command

    django.setup()
    from bench import dataset

    call_command("migrate", verbosity=0)
    now = args.now or dataset.default_now()
    started = time.perf_counter()
    scale = dataset.Scale(
        doctors=args.doctors, patients=args.patients, appointments=args.appointments
    )
    dataset.generate_people(seed=args.seed, now=now, scale=scale, password=args.password)
    dataset.generate_appointments(seed=args.seed, now=now, count=scale.appointments)
    if args.extend_to:
        dataset.extend_history(seed=args.seed, now=now, total=args.extend_to)
    print(f"generated in {time.perf_counter() - started:.1f}s", file=sys.stderr)
    print(f"DATABASE_URL={environment.database_url}")
    print(f"FIELD_ENCRYPTION_KEYS={environment.fernet_key}")
    environment.clean_up()


if __name__ == "__main__":
    main()
