"""Drain3 (PyPI) with its default settings on the messages given on stdin.

Input: JSON {"systems": {name: [message, ...]}}. Output: JSON {"systems": {name: [cluster id, ...]},
"version": drain3's version, "seconds": CPU seconds spent in add_log_message over all systems}.
One fresh TemplateMiner per system, as the loghub benchmark runs a parser per system.
"""
import json
import sys
import time
from importlib.metadata import version

from drain3 import TemplateMiner
from drain3.template_miner_config import TemplateMinerConfig


def main() -> None:
    data = json.load(sys.stdin)
    out = {}
    spent = 0.0
    count = 0
    for name, messages in data["systems"].items():
        config = TemplateMinerConfig()  # defaults: depth 4, sim_th 0.4, max_children 100, no masking
        miner = TemplateMiner(config=config)
        start = time.process_time()
        ids = [miner.add_log_message(m)["cluster_id"] for m in messages]
        spent += time.process_time() - start
        count += len(messages)
        out[name] = [str(i) for i in ids]
    json.dump({"systems": out, "version": version("drain3"), "seconds": spent, "messages": count}, sys.stdout)


if __name__ == "__main__":
    main()
