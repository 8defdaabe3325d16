"""Train the triage model and print its held-out metrics:

python -m inference.metrics [--json]
"""

import json
import sys

from inference.model import model


def main(argv: list[str]) -> int:
    trained = model()
    if "--json" in argv:
        print(json.dumps({"model_version": trained.version, **trained.metrics}, indent=2))
        return 0
    metrics = trained.metrics
    print(f"model            {trained.version}")
    print(f"conditions       {metrics['conditions']}")
    print(f"symptoms         {metrics['symptoms']}")
    print(f"training cases   {metrics['training_cases']}")
    print(f"held-out cases   {metrics['held_out_cases']}")
    print(f"top-1 accuracy   {metrics['top1_accuracy']:.1%}")
    print(f"top-3 accuracy   {metrics['top3_accuracy']:.1%}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
